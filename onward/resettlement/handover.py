"""Release and handover: the release checklist, the plan passed to probation at release, the handover
summary for the practitioner and the printed release pack for the person.

The checklist reads the plan, the person's record and their appointments; an item is missing until it
is shown to be done. At release (`PersonReleased`, see subscribers.py) the plan stays the same rows:
open needs the prison owned pass to probation, and the history says so.
"""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import font_source_sans_pro
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF

from onward.appointments.models import Appointment, AppointmentState
from onward.audit.services import audit_record
from onward.core.audit_actions import AuditAction
from onward.people.models import AssignmentRole, Person, StaffAssignment
from onward.people.rules import acting_role
from onward.resettlement.applications import APPLICATION_KINDS_BY_CODE, CHECKLIST_BANK_ACCOUNT, CHECKLIST_ID
from onward.resettlement.models import (
    APPLICATION_HELD_STATUSES,
    APPLICATION_OPEN_STATUSES,
    OPEN_NEED_STATUSES,
    Application,
    Document,
    Need,
    NeedStatus,
    PlanAction,
    PlanEvent,
    PlanEventKind,
)
from onward.resettlement.needs import NEEDS_BY_CODE, Owner

FONT = "SourceSansPro"
APPOINTMENTS_IN_PACK = 5


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    label: str
    done: bool


@dataclass(frozen=True)
class ReleaseChecklist:
    items: list[ChecklistItem]

    @property
    def missing(self) -> list[ChecklistItem]:
        return [item for item in self.items if not item.done]


def release_checklist(person: Person, now: datetime | None = None) -> ReleaseChecklist:
    """What must be ready on the day of release, each item done or missing (a handful of queries)."""
    at = now or timezone.now()
    needs = {need.code: need.status for need in Need.objects.filter(person=person)}

    def settled(code: str) -> bool:  # no such need found, or it is met
        return needs.get(code, NeedStatus.MET) == NeedStatus.MET

    applications: dict[str, set[str]] = {CHECKLIST_ID: set(), CHECKLIST_BANK_ACCOUNT: set()}
    for kind, status in Application.objects.filter(person=person).values_list("kind", "status"):
        info = APPLICATION_KINDS_BY_CODE.get(kind)
        if info is not None and info.checklist in applications:
            applications[info.checklist].add(status)

    def held(item: str, code: str) -> bool:
        """Done when an application for it has come back (received, opened or done); while one is still
        on its way it is missing; with none, the plan's need decides (no such need: they have it)."""
        statuses = applications[item]
        if statuses & APPLICATION_HELD_STATUSES:
            return True
        if statuses & APPLICATION_OPEN_STATUSES:
            return False
        return settled(code)

    has_address = bool(person.postcode or person.address.strip())
    booked = Appointment.objects.filter(person=person, state=AppointmentState.BOOKED, starts_at__gte=at).exists()
    practitioner = StaffAssignment.objects.filter(
        person=person, role=AssignmentRole.PRACTITIONER, ended_at__isnull=True
    ).exists()
    return ReleaseChecklist(
        [
            ChecklistItem("address", _("Address confirmed"), has_address and settled("no_address")),
            ChecklistItem("practitioner", _("Community practitioner allocated"), practitioner),
            ChecklistItem("appointment", _("First appointment booked"), booked),
            ChecklistItem("id", _("ID"), held(CHECKLIST_ID, "no_id")),
            ChecklistItem("bank_account", _("Bank account"), held(CHECKLIST_BANK_ACCOUNT, "no_bank_account")),
            ChecklistItem("medication", _("Medication"), settled("medication")),
            ChecklistItem("travel", _("Travel"), needs.get("travel_home") == NeedStatus.MET),
        ]
    )


def plan_hand_over(*, person: Person, actor: Any, practitioner: Any | None, release_date: Any) -> PlanEvent:
    """At release, in its transaction: open needs the prison owned pass to probation; the history says so."""
    with transaction.atomic():
        passed = list(
            Need.objects.filter(person=person, owner=Owner.PRISON, status__in=sorted(OPEN_NEED_STATUSES)).values_list(
                "code", flat=True
            )
        )
        Need.objects.filter(person=person, code__in=passed).update(owner=Owner.PROBATION, updated_at=timezone.now())
        missing = [item.code for item in release_checklist(person).missing]
        event = PlanEvent.objects.create(
            person=person,
            kind=PlanEventKind.HANDED_OVER,
            actor=actor if getattr(actor, "pk", None) else None,
            data={
                "practitioner": getattr(practitioner, "pk", None),
                "release_date": release_date.isoformat(),
                "needs_passed_to_probation": passed,
                "checklist_missing": missing,
            },
        )
        audit_record(
            actor=actor,
            role=acting_role(actor, person) if getattr(actor, "kind", None) else "",
            action=AuditAction.RESETTLEMENT_HANDED_OVER,
            person=person,
            target=event,
            data=event.data,
        )
    return event


def handover_pdf(person: Person) -> bytes:
    """The handover summary for the community practitioner: checklist, needs with actions, applications,
    documents and history."""
    pdf = _pdf(_("Handover summary: %(name)s") % {"name": person.full_name})
    _heading(pdf, _("Handover summary"))
    _line(pdf, f"{person.full_name}, {person.reference}", bold=True)
    if person.release_date:
        _line(pdf, _("Released on %(date)s") % {"date": date_format(person.release_date, "j F Y")})
    _heading(pdf, _("Release checklist"), size=14)
    for item in release_checklist(person).items:
        _line(pdf, f"{'[x]' if item.done else '[ ] ' + _('MISSING') + ':'} {item.label}")
    _heading(pdf, _("Needs"), size=14)
    needs = list(Need.objects.filter(person=person).prefetch_related("actions"))
    for need in needs:
        kind = NEEDS_BY_CODE.get(need.code)
        words = kind.staff_words if kind else need.code
        _line(pdf, f"{words}: {need.get_status_display()} ({need.get_owner_display()})", bold=True)
        for action in need.actions.all():
            state = _("done") if action.done_at else (date_format(action.due_on, "j M Y") if action.due_on else "")
            _line(pdf, f"  - {action.text} {('(' + state + ')') if state else ''}")
    if not needs:
        _line(pdf, _("No needs recorded."))
    todos = PlanAction.objects.filter(person=person, need__isnull=True)
    if todos:
        _heading(pdf, _("The person's own to-dos"), size=14)
        for todo in todos:
            _line(pdf, f"  - {todo.text} {'(' + _('done') + ')' if todo.done_at else ''}")
    applications = Application.objects.filter(person=person).order_by("created_at", "pk")
    if applications:
        _heading(pdf, _("ID and bank account applications"), size=14)
        for application in applications:
            info = APPLICATION_KINDS_BY_CODE.get(application.kind)
            words = str(info.staff_words) if info else application.kind
            reason = f" – {application.reason}" if application.reason else ""
            _line(pdf, f"{words}: {application.get_status_display()}{reason}")
    documents = Document.objects.filter(person=person, removed_at__isnull=True).order_by("uploaded_at", "pk")
    if documents:
        _heading(pdf, _("Documents kept on Onward"), size=14)
        for document in documents:
            when = date_format(timezone.localtime(document.uploaded_at), "j M Y")
            _line(pdf, f"  - {document.title} ({document.get_kind_display()}, {when})")
    _heading(pdf, _("History"), size=14)
    for event in PlanEvent.objects.filter(person=person).order_by("at", "pk")[:200]:
        when = date_format(timezone.localtime(event.at), "j M Y H:i")
        _line(pdf, f"{when}  {event.get_kind_display()}{(': ' + event.note) if event.note else ''}", size=9)
    return bytes(pdf.output())


def release_pack_pdf(person: Person, now: datetime | None = None) -> bytes:
    """The printed pack the person leaves with, in their language: appointments, signing in, the address."""
    at = now or timezone.now()
    pdf = _pdf(_("Your release pack"))
    _heading(pdf, _("Your release pack"))
    _line(pdf, person.full_name, bold=True)
    _heading(pdf, _("Your next appointments"), size=14)
    appointments = Appointment.objects.filter(person=person, state=AppointmentState.BOOKED, starts_at__gte=at)
    shown = list(appointments.select_related("staff", "office").order_by("starts_at")[:APPOINTMENTS_IN_PACK])
    for appointment in shown:
        when = date_format(timezone.localtime(appointment.starts_at), "l j F Y, H:i")
        where = appointment.address or (appointment.office.address if appointment.office else "")
        who = appointment.staff.get_full_name() if appointment.staff else appointment.with_name
        _line(pdf, when, bold=True)
        _line(pdf, f"{appointment.get_kind_display()}{' – ' + who if who else ''}")
        if where:
            _line(pdf, where.replace("\n", ", "))
    if not shown:
        _line(pdf, _("Your probation practitioner will tell you when your first appointment is."))
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    _heading(pdf, _("Signing in to Onward"), size=14)
    _line(pdf, _("Use Onward on your phone or any computer. Go to:"))
    _line(pdf, base + "/", bold=True)
    _line(pdf, _("Choose “Get a code to sign in” and enter your mobile number or email address."))
    _line(pdf, _("We send you a code. Type it in to sign in. You keep the same account you used in prison."))
    _line(
        pdf, _("Your plan and your documents are there too: %(url)s") % {"url": base + reverse("resettlement:my_plan")}
    )
    return bytes(pdf.output())


# --- helpers ---------------------------------------------------------------------------------


def _pdf(title: str) -> FPDF:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    folder = Path(font_source_sans_pro.__file__).parent / "files"
    pdf.add_font(FONT, "", str(folder / "SourceSansPro-Regular.ttf"))
    pdf.add_font(FONT, "B", str(folder / "SourceSansPro-Bold.ttf"))
    pdf.set_title(title)
    pdf.set_author(settings.ONWARD_SERVICE_NAME)
    pdf.set_margins(18, 18, 18)
    pdf.add_page()
    return pdf


def _heading(pdf: FPDF, text: str, size: int = 20) -> None:
    pdf.set_font(FONT, "B", size)
    pdf.ln(3)
    pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _line(pdf: FPDF, text: str, *, bold: bool = False, size: int = 11) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT")
