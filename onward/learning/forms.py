"""The editors' forms for writing courses. They check what a form can; the services check the rest."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onward.learning.content import REASON_MAX_CHARS, OptionFields, QuestionFields, ScoredOption
from onward.learning.models import Audience, LessonKind
from onward.organisations.models import OrgUnit

TITLE_MAX_CHARS = 200
SUMMARY_MAX_CHARS = 2000
BODY_MAX_CHARS = 50_000
QUIZ_OPTIONS = 4


class CourseForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=TITLE_MAX_CHARS, error_messages={"required": _("Enter a title.")}
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=SUMMARY_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences: what people will learn."),
    )
    audience = forms.ChoiceField(
        label=_("Who is it for?"),
        choices=Audience.choices,
        help_text=_("Anything for people in prison needs another editor to approve it before it is published."),
        error_messages={"required": _("Choose who the course is for.")},
    )
    prisons = forms.ModelMultipleChoiceField(
        label=_("Which prisons? (optional)"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("Leave these empty to offer it in every prison."),
    )
    title_cy = forms.CharField(label=_("Title in Welsh"), max_length=TITLE_MAX_CHARS, required=False)
    summary_cy = forms.CharField(
        label=_("Summary in Welsh"),
        max_length=SUMMARY_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, prisons: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prisons"].queryset = prisons  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("audience") == Audience.COMMUNITY and data.get("prisons"):
            self.add_error("prisons", _("A course for people in the community is not offered in prisons."))
        return data


class ModuleForm(forms.Form):
    title = forms.CharField(
        label=_("Title of this part"), max_length=TITLE_MAX_CHARS, error_messages={"required": _("Enter a title.")}
    )
    title_cy = forms.CharField(label=_("Title in Welsh"), max_length=TITLE_MAX_CHARS, required=False)


class LessonForm(forms.Form):
    module: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Which part of the course is it in?"),
        queryset=None,
        empty_label=None,
        error_messages={
            "required": _("Choose a part of the course."),
            "invalid_choice": _("Choose a part of the course."),
        },
    )
    title = forms.CharField(
        label=_("Title"), max_length=TITLE_MAX_CHARS, error_messages={"required": _("Enter a title.")}
    )
    kind = forms.ChoiceField(label=_("What kind of lesson is it?"), choices=LessonKind.choices)
    body = forms.CharField(
        label=_("Words"),
        max_length=BODY_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown: # for a heading, - for a list, a blank line between paragraphs. HTML is not shown."),
    )
    upload = forms.FileField(
        label=_("Audio or video (optional)"),
        required=False,
        help_text=_("MP3, MP4, Ogg or WebM. Leave empty to keep the file you added before."),
    )
    pass_mark_percent = forms.IntegerField(
        label=_("Pass mark for the quiz, in per cent"),
        min_value=0,
        max_value=100,
        initial=100,
        help_text=_("100 means every answer must be right."),
        error_messages={
            "required": _("Enter a pass mark from 0 to 100."),
            "invalid": _("Enter a pass mark from 0 to 100."),
            "min_value": _("Enter a pass mark from 0 to 100."),
            "max_value": _("Enter a pass mark from 0 to 100."),
        },
    )
    title_cy = forms.CharField(label=_("Title in Welsh"), max_length=TITLE_MAX_CHARS, required=False)
    body_cy = forms.CharField(
        label=_("Words in Welsh"), max_length=BODY_MAX_CHARS, required=False, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args: Any, modules: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = modules  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == LessonKind.TEXT and not (data.get("body") or "").strip():
            self.add_error("body", _("Enter the lesson's words."))
        return data


class QuestionForm(forms.Form):
    """A quiz question and up to four answers; empty answer rows are left out."""

    text = forms.CharField(label=_("Question"), max_length=500, error_messages={"required": _("Enter the question.")})
    multiple = forms.TypedChoiceField(
        label=_("How many answers are right?"),
        choices=[("one", _("One")), ("more", _("More than one can be right"))],
        coerce=lambda value: value == "more",
        initial="one",
        error_messages={"required": _("Say how many answers are right.")},
    )
    text_cy = forms.CharField(label=_("Question in Welsh"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, QUIZ_OPTIONS + 1):
            self.fields[f"option_{n}"] = forms.CharField(
                label=_("Answer %(n)s") % {"n": n}, max_length=300, required=False
            )
            self.fields[f"correct_{n}"] = forms.BooleanField(label=_("This answer is right"), required=False)
            self.fields[f"feedback_{n}"] = forms.CharField(
                label=_("What to say to someone who chooses answer %(n)s (optional)") % {"n": n},
                max_length=500,
                required=False,
            )
            self.fields[f"option_{n}_cy"] = forms.CharField(
                label=_("Answer %(n)s in Welsh") % {"n": n}, max_length=300, required=False
            )

    def option_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "n": n,
                "text": self[f"option_{n}"],
                "correct": self[f"correct_{n}"],
                "feedback": self[f"feedback_{n}"],
                "text_cy": self[f"option_{n}_cy"],
            }
            for n in range(1, QUIZ_OPTIONS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        answers = [n for n in range(1, QUIZ_OPTIONS + 1) if (data.get(f"option_{n}") or "").strip()]
        if len(answers) < 2:
            self.add_error("option_1", _("Give at least two answers to choose from."))
        right = [n for n in answers if data.get(f"correct_{n}")]
        for n in range(1, QUIZ_OPTIONS + 1):
            if data.get(f"correct_{n}") and n not in answers:
                self.add_error(f"option_{n}", _("Enter answer %(n)s, or untick it.") % {"n": n})
        if answers and not right:
            self.add_error("correct_1", _("Tick the right answer."))
        if len(right) > 1 and data.get("multiple") is False:
            self.add_error("multiple", _("You ticked more than one right answer: choose 'More than one can be right'."))
        return data

    def fields_out(self) -> QuestionFields:
        data = self.cleaned_data
        return QuestionFields(
            text=data["text"],
            text_cy=data.get("text_cy", ""),
            multiple=bool(data["multiple"]),
            options=[
                OptionFields(
                    text=data.get(f"option_{n}", ""),
                    text_cy=data.get(f"option_{n}_cy", ""),
                    correct=bool(data.get(f"correct_{n}")),
                    feedback=data.get(f"feedback_{n}", ""),
                )
                for n in range(1, QUIZ_OPTIONS + 1)
            ],
        )


def question_initial(question: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "text": question.text,
        "text_cy": question.text_cy,
        "multiple": "more" if question.multiple else "one",
    }
    for n, option in enumerate(list(question.options.all())[:QUIZ_OPTIONS], start=1):
        initial.update(
            {
                f"option_{n}": option.text,
                f"option_{n}_cy": option.text_cy,
                f"correct_{n}": option.correct,
                f"feedback_{n}": option.feedback,
            }
        )
    return initial


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why.")},
    )


ASSESSMENT_OPTIONS = 5


class AssessmentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=TITLE_MAX_CHARS, error_messages={"required": _("Enter a title.")}
    )
    introduction = forms.CharField(
        label=_("Introduction"), max_length=SUMMARY_MAX_CHARS, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    score_meaning = forms.CharField(
        label=_("What the total means"),
        max_length=300,
        required=False,
        help_text=_("For example: a higher score means you are coping better."),
    )
    title_cy = forms.CharField(label=_("Title in Welsh"), max_length=TITLE_MAX_CHARS, required=False)
    introduction_cy = forms.CharField(
        label=_("Introduction in Welsh"),
        max_length=SUMMARY_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    score_meaning_cy = forms.CharField(label=_("What the total means, in Welsh"), max_length=300, required=False)


class AssessmentQuestionForm(forms.Form):
    """A self-assessment question and up to five answers, each with a score; empty rows are left out."""

    text = forms.CharField(label=_("Question"), max_length=500, error_messages={"required": _("Enter the question.")})
    text_cy = forms.CharField(label=_("Question in Welsh"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, ASSESSMENT_OPTIONS + 1):
            self.fields[f"option_{n}"] = forms.CharField(
                label=_("Answer %(n)s") % {"n": n}, max_length=300, required=False
            )
            self.fields[f"score_{n}"] = forms.IntegerField(
                label=_("Score for answer %(n)s") % {"n": n},
                min_value=0,
                max_value=100,
                required=False,
                error_messages={
                    "invalid": _("Enter a score from 0 to 100."),
                    "min_value": _("Enter a score from 0 to 100."),
                    "max_value": _("Enter a score from 0 to 100."),
                },
            )
            self.fields[f"option_{n}_cy"] = forms.CharField(
                label=_("Answer %(n)s in Welsh") % {"n": n}, max_length=300, required=False
            )

    def option_rows(self) -> list[dict[str, Any]]:
        return [
            {"text": self[f"option_{n}"], "score": self[f"score_{n}"], "text_cy": self[f"option_{n}_cy"]}
            for n in range(1, ASSESSMENT_OPTIONS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        answers = [n for n in range(1, ASSESSMENT_OPTIONS + 1) if (data.get(f"option_{n}") or "").strip()]
        if len(answers) < 2:
            self.add_error("option_1", _("Give at least two answers to choose from."))
        for n in answers:
            if data.get(f"score_{n}") is None and f"score_{n}" not in self.errors:
                self.add_error(f"score_{n}", _("Enter a score for answer %(n)s.") % {"n": n})
        return data

    def options_out(self) -> list[ScoredOption]:
        data = self.cleaned_data
        return [
            ScoredOption(
                text=data.get(f"option_{n}", ""),
                text_cy=data.get(f"option_{n}_cy", ""),
                score=data.get(f"score_{n}") or 0,
            )
            for n in range(1, ASSESSMENT_OPTIONS + 1)
            if (data.get(f"option_{n}") or "").strip()
        ]


def assessment_question_initial(question: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {"text": question.text, "text_cy": question.text_cy}
    for n, option in enumerate(list(question.options.all())[:ASSESSMENT_OPTIONS], start=1):
        initial.update({f"option_{n}": option.text, f"option_{n}_cy": option.text_cy, f"score_{n}": option.score})
    return initial
