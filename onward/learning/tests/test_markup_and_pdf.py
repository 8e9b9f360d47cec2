"""The lesson markup (our tags only, everything escaped) and the certificate PDF with letters beyond Latin-1."""

from typing import Any

import pytest
from django.test import RequestFactory

from onward.learning import services
from onward.learning.certificates import certificate_pdf, certificate_verify_url
from onward.learning.markup import markup_plain, markup_render
from onward.learning.models import Certificate
from onward.learning.tests.factories import pdf_text


def test_markup_renders_headings_paragraphs_and_lists() -> None:
    html = str(markup_render("## Money\nFirst line\nsame paragraph\n\n- one\n- two\n1. first\n2) second\n### Small"))
    assert html == (
        '<h2 class="govuk-heading-m">Money</h2>\n'
        '<p class="govuk-body-l">First line same paragraph</p>\n'
        '<ul class="govuk-list govuk-list--bullet onward-lesson-list"><li>one</li><li>two</li></ul>\n'
        '<ol class="govuk-list govuk-list--number onward-lesson-list"><li>first</li><li>second</li></ol>\n'
        '<h3 class="govuk-heading-s">Small</h3>'
    )
    assert markup_plain("## Money\n- one") == "Money\none"


def test_markup_escapes_everything_an_editor_types() -> None:
    html = str(markup_render('## <img src=x onerror="alert(1)">\n\n<a href="javascript:x">link</a>'))
    assert "<img" not in html
    assert "<a " not in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html


@pytest.mark.django_db
def test_the_certificate_pdf_copes_with_welsh_letters(learning_world: dict[str, Any]) -> None:
    w = learning_world
    person = w["person"]
    person.first_name, person.last_name = "Siân", "Ŵyn"
    person.save()
    w["course"].title = "Cwrs ŷd a ŵy"
    w["course"].save()
    certificate = Certificate.objects.create(person=person, course=w["course"], code=services.certificate_code_new())
    url = certificate_verify_url(RequestFactory().get("/"), certificate.code)
    text = pdf_text(certificate_pdf(certificate, url))
    assert "Siân Ŵyn" in text  # the embedded font has every Welsh letter
    assert "Cwrs ŷd a ŵy" in text
    assert services.certificate_code_display(certificate.code) in text
