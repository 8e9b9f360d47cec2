"""Early release pages: a prison's ranked list, one person's criteria and decisions, and the person's own dates.
Thin: parse, call a service or selector, render."""

from datetime import date, datetime, time
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onward.accounts.actors import signed_in_user
from onward.core.audit_actions import AuditAction
from onward.core.permissions import can, permission
from onward.opportunities import selectors, services
from onward.opportunities.engine import ALMOST, ELIGIBLE, NOT_ELIGIBLE
from onward.opportunities.models import (
    HDC_TRANSITIONS,
    DecisionOutcome,
    HdcCase,
    HdcStage,
    OffenceCategory,
    RotlAbsence,
    RotlGrant,
    RotlType,
    Scheme,
    SecurityCategory,
    Sentence,
    SentenceType,
)
from onward.people.models import Person
from onward.people.selectors import person_get

STATUS_WORDS = {ELIGIBLE: "Eligible", ALMOST: "Almost eligible", NOT_ELIGIBLE: "Not eligible"}
YES_NO_FIELDS = (
    "sds40_excluded",
    "sex_offender_registration",
    "liable_to_removal",
    "recalled_from_hdc",
    "failed_to_return",
)
TICK_FIELDS = ("escape_list", "extradition", "further_charges", "sole_carer")

# --- Staff --------------------------------------------------------------------------------------


@permission("opportunities.view")
def staff_list(request: HttpRequest) -> HttpResponse:
    """A prison's people in custody, eligible and not yet considered first, then by date."""
    prisons = selectors.prisons_for(request.user)
    chosen = _int(request.GET.get("prison"))
    prison = next((p for p in prisons if p.pk == chosen), prisons[0] if prisons else None)
    status, considered = request.GET.get("status", ""), request.GET.get("considered", "")
    today = timezone.localdate()
    rows = (
        selectors.unit_opportunities(request.user, prison, today, status=status, considered_filter=considered)
        if prison
        else []
    )
    context = {
        "prisons": prisons,
        "prison": prison,
        "rows": rows,
        "status": status,
        "considered": considered,
        "statuses": [(ELIGIBLE, _("Eligible")), (ALMOST, _("Almost eligible")), (NOT_ELIGIBLE, _("Not eligible"))],
        "today": today,
    }
    return render(request, "opportunities/staff_list.html", context)


@permission("opportunities.view")
def person_page(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_OPPORTUNITIES)
    if not can(request.user, "opportunities.view", person):
        raise PermissionDenied("opportunities.view")
    return render(request, "opportunities/person.html", _person_context(request, person))


@permission("opportunities.decide")
def sentence_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _for_decision(request, person_id)
    sentence = Sentence.objects.filter(person=person).first()
    error, values = "", _sentence_values(sentence)
    if request.method == "POST":
        values = _sentence_from_post(request)
        try:
            facts = {**values, "sentenced_on": _date(request.POST.get("sentenced_on", ""))}
            services.sentence_record(actor=signed_in_user(request), person=person, facts=facts)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("Sentence saved. The dates are worked out again."))
            return redirect("opportunities:person", person_id=person.pk)
    context = {
        "person": person,
        "values": values,
        "error": error,
        "sentence_types": SentenceType.choices,
        "categories": OffenceCategory.choices,
        "security_categories": SecurityCategory.choices,
        "yes_no_fields": YES_NO_FIELDS,
        "tick_fields": TICK_FIELDS,
        "labels": _fact_labels(),
    }
    return render(request, "opportunities/sentence.html", context, status=400 if error else 200)


@permission("opportunities.decide")
@require_POST
def decide(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _for_decision(request, person_id)
    try:
        services.decision_record(
            actor=signed_in_user(request),
            person=person,
            scheme=request.POST.get("scheme", ""),
            outcome=request.POST.get("outcome", ""),
            reason=request.POST.get("reason", ""),
            snoozed_until=_date(request.POST.get("snoozed_until", ""), required=False),
            exceptional_reason=request.POST.get("exceptional_reason", ""),
        )
    except ValidationError as refused:
        return _again(request, person, " ".join(refused.messages))
    messages.success(request, _("Decision recorded."))
    return redirect("opportunities:person", person_id=person.pk)


@permission("opportunities.decide")
@require_POST
def hdc_move(request: HttpRequest, person_id: int, case_id: int) -> HttpResponse:
    person = _for_decision(request, person_id)
    case = HdcCase.objects.filter(person=person, pk=case_id).select_related("person", "ruleset").first()
    if case is None:
        raise Http404
    try:
        hours = None
        if request.POST.get("curfew_start") and request.POST.get("curfew_end"):
            hours = services.CurfewHours(
                start=_time(request.POST["curfew_start"]), end=_time(request.POST["curfew_end"])
            )
        services.hdc_case_move(
            actor=signed_in_user(request),
            case=case,
            target=request.POST.get("target", ""),
            notes=request.POST.get("notes", ""),
            address=request.POST.get("address", ""),
            postcode=request.POST.get("postcode", ""),
            hours=hours,
        )
    except ValidationError as refused:
        return _again(request, person, " ".join(refused.messages))
    messages.success(request, _("The case has moved on."))
    return redirect("opportunities:person", person_id=person.pk)


@permission("opportunities.decide")
@require_POST
def rotl_grant(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _for_decision(request, person_id)
    try:
        services.rotl_grant(
            actor=signed_in_user(request),
            person=person,
            rotl_type=request.POST.get("rotl_type", ""),
            risk_assessment=request.POST.get("risk_assessment", ""),
            conditions=request.POST.get("conditions", ""),
            valid_from=_date(request.POST.get("valid_from", "")),
            valid_until=_date(request.POST.get("valid_until", "")),
        )
    except ValidationError as refused:
        return _again(request, person, " ".join(refused.messages))
    messages.success(request, _("Temporary release granted."))
    return redirect("opportunities:person", person_id=person.pk)


@permission("opportunities.decide")
@require_POST
def rotl_out(request: HttpRequest, person_id: int, grant_id: int) -> HttpResponse:
    person = _for_decision(request, person_id)
    grant = RotlGrant.objects.filter(person=person, pk=grant_id).select_related("person").first()
    if grant is None:
        raise Http404
    try:
        services.rotl_out(
            actor=signed_in_user(request),
            grant=grant,
            out_at=_moment(request.POST.get("out_at", "")),
            due_back_at=_moment(request.POST.get("due_back_at", "")),
        )
    except ValidationError as refused:
        return _again(request, person, " ".join(refused.messages))
    messages.success(request, _("Recorded as out."))
    return redirect("opportunities:person", person_id=person.pk)


@permission("opportunities.decide")
@require_POST
def rotl_back(request: HttpRequest, person_id: int, absence_id: int) -> HttpResponse:
    person = _for_decision(request, person_id)
    absence = RotlAbsence.objects.filter(person=person, pk=absence_id).select_related("person").first()
    if absence is None:
        raise Http404
    try:
        services.rotl_returned(
            actor=signed_in_user(request), absence=absence, returned_at=_moment(request.POST.get("returned_at", ""))
        )
    except ValidationError as refused:
        return _again(request, person, " ".join(refused.messages))
    messages.success(request, _("Recorded as back."))
    return redirect("opportunities:person", person_id=person.pk)


# --- The person ---------------------------------------------------------------------------------


@permission("opportunities.self")
def my_early_release(request: HttpRequest) -> HttpResponse:
    """The person's own dates, what happens next, and a form to give an address they could live at."""
    person_id = getattr(request.user, "person_id", None)
    if person_id is None:
        raise PermissionDenied("opportunities.self")
    person = person_get(request.user, int(person_id), purpose=AuditAction.PERSON_VIEW_OWN_OPPORTUNITIES)
    error = ""
    form = {"address": "", "postcode": "", "living_there": ""}
    if request.method == "POST":
        form = {name: request.POST.get(name, "") for name in form}
        try:
            services.address_propose(actor=signed_in_user(request), person=person, **form)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("Thank you. Staff will check the address."))
            return redirect("opportunities:mine")
    found = selectors.person_opportunities(person, timezone.localdate())
    context = {
        "person": person,
        "found": found,
        "proposals": selectors.proposals_for(person),
        "form": form,
        "error": error,
    }
    return render(request, "opportunities/mine.html", context, status=400 if error else 200)


# --- Helpers ------------------------------------------------------------------------------------


def _person_context(request: HttpRequest, person: Person, error: str = "") -> dict[str, Any]:
    today = timezone.localdate()
    found = selectors.person_opportunities(person, today)
    case = found.hdc_case
    return {
        "person": person,
        "found": found,
        "sentence": Sentence.objects.filter(person=person).first(),
        "status_words": {k: _(v) for k, v in STATUS_WORDS.items()},
        "decisions": list(person.opportunity_decisions.select_related("ruleset", "decided_by")[:20]),
        "case": case,
        "case_steps": list(case.steps.select_related("actor")) if case else [],
        "next_stages": [(s, HdcStage(s).label) for s in sorted(HDC_TRANSITIONS.get(case.stage, ()))] if case else [],
        "grants": selectors.grants_for(person),
        "proposals": selectors.proposals_for(person),
        "outcomes": DecisionOutcome.choices,
        "schemes": Scheme.choices,
        "rotl_types": RotlType.choices,
        "may_decide": can(request.user, "opportunities.decide", person),
        "error": error,
        "today": today,
    }


def _again(request: HttpRequest, person: Person, error: str) -> HttpResponse:
    return render(request, "opportunities/person.html", _person_context(request, person, error), status=400)


def _for_decision(request: HttpRequest, person_id: int) -> Person:
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_FOR_OPPORTUNITY_DECISION)
    if not can(request.user, "opportunities.decide", person):
        raise PermissionDenied("opportunities.decide")
    return person


def _fact_labels() -> dict[str, str]:
    return {
        "sds40_excluded": _("The offence is excluded from release at 40% (SDS40)"),
        "sex_offender_registration": _("Must register as a sex offender"),
        "liable_to_removal": _("Liable to removal from the UK (deportation)"),
        "recalled_from_hdc": _("Ever recalled for breaking an HDC curfew"),
        "failed_to_return": _("Serving a sentence for failing to return from temporary release"),
        "escape_list": _("On the escape list"),
        "extradition": _("Extradition proceedings"),
        "further_charges": _("Remanded for further charges or awaiting another sentence"),
        "sole_carer": _("Will be the sole carer of a child on release"),
    }


def _sentence_values(sentence: Sentence | None) -> dict[str, Any]:
    if sentence is None:
        return {"sentence_type": SentenceType.STANDARD, "sentenced_on": "", "offence_categories": []}
    values = {name: getattr(sentence, name) for name in services.SENTENCE_FIELDS}
    values["sentenced_on"] = sentence.sentenced_on.isoformat()
    return values


def _sentence_from_post(request: HttpRequest) -> dict[str, Any]:
    post = request.POST
    values: dict[str, Any] = {
        "sentence_type": post.get("sentence_type", ""),
        "sentenced_on": post.get("sentenced_on", ""),
        "term_months": _int(post.get("term_months")) or 0,
        "term_days": _int(post.get("term_days")) or 0,
        "remand_days": _int(post.get("remand_days")) or 0,
        "offence_categories": post.getlist("offence_categories"),
        "security_category": post.get("security_category", ""),
    }
    for name in YES_NO_FIELDS:
        values[name] = {"yes": True, "no": False}.get(post.get(name, ""))
    for name in TICK_FIELDS:
        values[name] = post.get(name) == "yes"
    return values


def _int(text: str | None) -> int | None:
    try:
        return int(text or "")
    except ValueError:
        return None


def _date(text: str, required: bool = True) -> Any:
    text = (text or "").strip()
    if not text and not required:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as bad:
        raise ValidationError(_("Enter a real date, like 2026-06-01.")) from bad


def _time(text: str) -> time:
    try:
        return time.fromisoformat(text.strip())
    except ValueError as bad:
        raise ValidationError(_("Enter a time like 19:00.")) from bad


def _moment(text: str) -> datetime:
    try:
        value = datetime.fromisoformat((text or "").strip())
    except ValueError as bad:
        raise ValidationError(_("Enter a date and time, like 2026-06-01T09:00.")) from bad
    return timezone.make_aware(value) if timezone.is_naive(value) else value
