"""Courses (modules, lessons, quizzes), the person's progress and certificates, and self-assessments.

Progress, certificates and self-assessment results belong to the Person record, never to the unit
they were at: a transfer or a release changes `person.unit` and leaves all of this where it was.
Content carries an optional Welsh copy of each text (`*_cy`); English is the fallback.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WELSH = "cy"


def in_language(obj: Any, field: str, language: str | None) -> str:
    """The field in this language where we have it, else English."""
    if language and language.lower().startswith(WELSH):
        welsh = getattr(obj, f"{field}_cy", "")
        if welsh:
            return str(welsh)
    return str(getattr(obj, field))


class Audience(models.TextChoices):
    CUSTODY = "custody", _("People in prison")
    COMMUNITY = "community", _("People in the community")
    BOTH = "both", _("Everyone")


class CourseState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


# The workflow editors follow on Onward's own pages (onward/learning/content.py). Any change to a course,
# its lessons or quizzes takes it back to draft and clears its approval; anything for custody is published
# only once a second editor approves it (the rule in onward/core/approval.py, shared with the library).
COURSE_TRANSITIONS: dict[str, frozenset[str]] = {
    CourseState.DRAFT: frozenset({CourseState.IN_REVIEW, CourseState.PUBLISHED}),
    CourseState.IN_REVIEW: frozenset({CourseState.APPROVED, CourseState.DRAFT}),
    CourseState.APPROVED: frozenset({CourseState.PUBLISHED, CourseState.DRAFT}),
    CourseState.PUBLISHED: frozenset({CourseState.DRAFT}),
}


class Course(models.Model):
    title = models.CharField(max_length=200)
    title_cy = models.CharField(_("title in Welsh"), max_length=200, blank=True)
    summary = models.TextField(blank=True)
    summary_cy = models.TextField(_("summary in Welsh"), blank=True)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.BOTH)
    # Empty: offered in every prison (for the custody audience). Otherwise only in these prisons.
    prisons = models.ManyToManyField(
        "organisations.OrgUnit",
        blank=True,
        related_name="courses",
        limit_choices_to={"kind": "prison"},
        help_text=_("Leave empty to offer it in every prison."),
    )
    # People see a course only while `published` is set; `state` is where it is in the editors' workflow.
    published = models.BooleanField(default=False)
    state = models.CharField(max_length=12, choices=CourseState.choices, default=CourseState.DRAFT)
    # Who last changed the course or anything in it: the one person who may not approve it.
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            # Second-person approval, as an invariant: nobody approves their own changes.
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True) | ~models.Q(approved_by=models.F("changed_by")),
                name="learning_course_not_self_approved",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Module(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(max_length=200)
    title_cy = models.CharField(_("title in Welsh"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["course", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.course}: {self.title}"


class LessonKind(models.TextChoices):
    TEXT = "text", _("Text")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")


class Lesson(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(max_length=200)
    title_cy = models.CharField(_("title in Welsh"), max_length=200, blank=True)
    kind = models.CharField(max_length=10, choices=LessonKind.choices, default=LessonKind.TEXT)
    # Markdown, rendered safely by onward/core/markdown.py as library items are: "# " headings, "- " and
    # "1. " lists, blank lines between paragraphs. Editors' HTML shows as text; they cannot add script.
    body = models.TextField(
        blank=True,
        help_text=_("Markdown: a heading starts with #, list items with - or 1., and a blank line starts a paragraph."),
    )
    body_cy = models.TextField(_("body in Welsh"), blank=True)
    # Audio or video, kept in private storage and served only to people enrolled on the course.
    media = models.FileField(upload_to="learning/media/", blank=True)
    media_content_type = models.CharField(max_length=100, blank=True)
    # The share of quiz questions to get right to finish the lesson (100 = all of them).
    pass_mark_percent = models.PositiveSmallIntegerField(default=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["module__position", "module_id", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(pass_mark_percent__lte=100), name="lesson_pass_mark_percent")
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """One quiz question of a lesson: single choice (one right answer) or multiple choice (tick all right ones)."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=500)
    text_cy = models.CharField(_("text in Welsh"), max_length=500, blank=True)
    multiple = models.BooleanField(_("more than one answer can be right"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["lesson", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(max_length=300)
    text_cy = models.CharField(_("text in Welsh"), max_length=300, blank=True)
    correct = models.BooleanField(default=False)
    # Shown after the person answers, next to this option if they chose it.
    feedback = models.CharField(max_length=500, blank=True)
    feedback_cy = models.CharField(_("feedback in Welsh"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["question", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class Enrolment(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="enrolments")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    enrolled_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-enrolled_at"]
        constraints = [models.UniqueConstraint(fields=["person", "course"], name="enrolment_unique")]


class LessonProgress(models.Model):
    """A person's work on one lesson: their last quiz answers and score, and when they finished it."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="progress")
    # {"<question id>": [<option id>, ...]}, as last sent.
    answers = models.JSONField(default=dict, blank=True)
    score = models.PositiveSmallIntegerField(default=0)  # questions right at the last try
    out_of = models.PositiveSmallIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "lesson"], name="lesson_progress_unique")]


class Certificate(models.Model):
    """Issued once per person per course when every lesson is done. Anyone with the code can check it."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="certificates")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="certificates")
    issued_at = models.DateTimeField(default=timezone.now)
    # Random and long (see services.CERTIFICATE_CODE_BYTES): printed on the certificate, checked at a public URL.
    code = models.CharField(max_length=40, unique=True)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [models.UniqueConstraint(fields=["person", "course"], name="certificate_once_per_course")]


class SelfAssessmentSet(models.Model):
    """A question set for a behaviour-change programme. Each answer has a score; a person can repeat it."""

    audience = Audience.BOTH  # open to everyone, in prison and in the community

    title = models.CharField(max_length=200)
    title_cy = models.CharField(_("title in Welsh"), max_length=200, blank=True)
    introduction = models.TextField(blank=True)
    introduction_cy = models.TextField(_("introduction in Welsh"), blank=True)
    # How to read the total, for example "A higher score means you are coping better."
    score_meaning = models.CharField(max_length=300, blank=True)
    score_meaning_cy = models.CharField(_("score meaning in Welsh"), max_length=300, blank=True)
    published = models.BooleanField(default=False)
    # Self-assessments are open to everyone, people in prison too: a second editor approves them before
    # they are published, as courses for custody (onward/core/approval.py). Any change clears the approval.
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True) | ~models.Q(approved_by=models.F("changed_by")),
                name="learning_selfassessment_not_self_approved",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SelfAssessmentQuestion(models.Model):
    assessment = models.ForeignKey(SelfAssessmentSet, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=500)
    text_cy = models.CharField(_("text in Welsh"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["assessment", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class SelfAssessmentOption(models.Model):
    question = models.ForeignKey(SelfAssessmentQuestion, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(max_length=300)
    text_cy = models.CharField(_("text in Welsh"), max_length=300, blank=True)
    score = models.PositiveSmallIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["question", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class SelfAssessmentResult(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="self_assessment_results")
    assessment = models.ForeignKey(SelfAssessmentSet, on_delete=models.PROTECT, related_name="results")
    score = models.PositiveSmallIntegerField()
    max_score = models.PositiveSmallIntegerField()
    answers = models.JSONField(default=dict)  # {"<question id>": <option id>}
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["person", "assessment", "submitted_at"])]
