"""Completion certificates: the PDF the person downloads, and the public check of a certificate's code.

The check says only whether the code is real and, if it is, the first name, the initial of the
surname, the course and the date. It is rate-limited per address, and codes are long and random.
"""

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import font_source_sans_pro
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from fpdf import FPDF

from onward.learning.models import Certificate, in_language
from onward.learning.services import certificate_code_display

CODE_MAX_LENGTH = 60
FONT = "SourceSansPro"
VERIFY_WINDOW_SECONDS = 3600
_NOT_CODE = re.compile(r"[^A-Z2-7]")


@dataclass(frozen=True)
class CertificateCheck:
    name: str  # first name and initial of surname, nothing more
    course: str
    issued_on: date


def certificate_check(code: str) -> CertificateCheck | None:
    """The certificate with this code, described without personal details; None when there is none."""
    normalised = _NOT_CODE.sub("", code.upper()[:CODE_MAX_LENGTH])
    if not normalised:
        return None
    found = Certificate.objects.filter(code=normalised).select_related("person", "course").first()
    if found is None:
        return None
    person = found.person
    return CertificateCheck(
        name=f"{person.first_name} {person.last_name[:1]}.",
        course=found.course.title,
        issued_on=timezone.localdate(found.issued_at),
    )


def certificate_check_allowed(address: str) -> bool:
    """False once this address has asked more than CERTIFICATE_VERIFY_PER_HOUR times within the hour."""
    key = f"learning:verify:{address or 'unknown'}"
    cache.add(key, 0, VERIFY_WINDOW_SECONDS)
    try:
        tries = cache.incr(key)
    except ValueError:  # the entry expired between add and incr
        cache.set(key, 1, VERIFY_WINDOW_SECONDS)
        tries = 1
    return tries <= settings.CERTIFICATE_VERIFY_PER_HOUR


def certificate_verify_url(request: HttpRequest, code: str) -> str:
    """Where anyone checks this code: CERTIFICATE_VERIFY_BASE_URL if set, else the site's public address
    (never the address it was downloaded from, which may be a prison's own network)."""
    path = f"{reverse('learning:certificate_verify')}?code={code}"
    base = (settings.CERTIFICATE_VERIFY_BASE_URL or settings.PUBLIC_BASE_URL).rstrip("/")
    return f"{base}{path}"


def certificate_pdf(certificate: Certificate, verify_url: str) -> bytes:
    """One A4 landscape page: who, which course, when, and how anyone can check it."""
    person, course = certificate.person, certificate.course
    title = in_language(course, "title", get_language())
    code = certificate_code_display(certificate.code)
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    _fonts_add(pdf)
    pdf.set_title(_("Certificate: %(course)s") % {"course": title})
    pdf.set_author(settings.ONWARD_SERVICE_NAME)
    pdf.set_creation_date(certificate.issued_at)
    pdf.set_auto_page_break(False)
    pdf.set_margins(20, 20, 20)  # inside the border
    pdf.add_page()
    pdf.set_draw_color(29, 112, 184)
    pdf.set_line_width(2)
    pdf.rect(12, 12, 273, 186)
    pdf.set_y(35)
    pdf.set_font(FONT, "B", 30)
    pdf.cell(0, 16, _("Certificate of completion"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 16)
    pdf.cell(0, 14, _("This is to certify that"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 26)
    pdf.cell(0, 16, person.full_name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 16)
    pdf.cell(0, 14, _("has completed the course"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 22)
    pdf.multi_cell(0, 12, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 16)
    issued = timezone.localdate(certificate.issued_at)
    pdf.cell(0, 14, _("on %(date)s") % {"date": _long_date(issued)}, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(160)
    pdf.set_font(FONT, "B", 14)
    pdf.cell(0, 9, _("Verification code: %(code)s") % {"code": code}, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    pdf.multi_cell(
        0,
        6,
        _("Anyone can check this certificate at %(url)s") % {"url": verify_url},
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())


def _long_date(day: date) -> str:
    from django.utils.formats import date_format

    return date_format(day, "j F Y")


def _fonts_add(pdf: FPDF) -> None:
    """Source Sans Pro (SIL Open Font Licence, from the font-source-sans-pro package): every Welsh letter."""
    folder = Path(font_source_sans_pro.__file__).parent / "files"
    pdf.add_font(FONT, "", str(folder / "SourceSansPro-Regular.ttf"))
    pdf.add_font(FONT, "B", str(folder / "SourceSansPro-Bold.ttf"))
