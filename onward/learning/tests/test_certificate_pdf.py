"""The certificate PDF, with letters beyond Latin-1."""

from typing import Any

import pytest
from django.test import RequestFactory

from onward.learning import services
from onward.learning.certificates import certificate_pdf, certificate_verify_url
from onward.learning.models import Certificate
from onward.learning.tests.factories import pdf_text


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
