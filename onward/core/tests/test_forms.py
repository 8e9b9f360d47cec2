"""Errors name their field: no "This field is required." on its own in an error summary."""

from django import forms


class _Example(forms.Form):
    kind = forms.ChoiceField(label="Type of appointment", choices=[("a", "A")])
    title = forms.CharField(label="Title")
    crn = forms.CharField(label="CRN or prison number")
    compulsory = forms.ChoiceField(label="Is attendance compulsory?", choices=[("yes", "Yes")])
    reason = forms.CharField(label="Reason", error_messages={"required": "Say why you are stopping"})


def test_a_missing_answer_says_which_field_it_is() -> None:
    form = _Example({})
    assert not form.is_valid()
    errors = {field.name: list(field.errors) for field in form}
    assert errors == {
        "kind": ["Select type of appointment"],
        "title": ["Enter title"],
        "crn": ["Enter CRN or prison number"],
        "compulsory": ["Answer the question: Is attendance compulsory?"],
        "reason": ["Say why you are stopping"],  # a form's own message stays
    }


def test_the_error_summary_names_each_field() -> None:
    from django.template import engines

    template = engines["jinja2"].from_string(
        '{% from "macros/forms.html" import error_summary %}{{ error_summary(form) }}'
    )
    form = _Example({})
    form.is_valid()
    html = template.render({"form": form})
    assert "This field is required." not in html
    assert 'href="#id_title">Enter title</a>' in html
