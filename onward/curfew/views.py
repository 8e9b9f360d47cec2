"""Staff pages: a person's day on the map, their curfew and zones (set, drawn or typed), a night's variation.
The person's page: their curfew and zones in plain words. Thin: parse, call a selector or service, render.
"""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from onward.accounts.actors import signed_in_user
from onward.alerts.selectors import alert_get
from onward.core.audit_actions import AuditAction
from onward.core.permissions import can, permission, require
from onward.curfew import selectors, services
from onward.curfew.evidence import evidence_pack
from onward.curfew.forms import RandomCheckinsForm, TermsForm, VariationForm, ZoneForm, clock
from onward.curfew.models import CurfewTerms, CurfewVariation, VariationState
from onward.curfew.prompts import random_checkins_count, random_checkins_fit, random_checkins_set
from onward.curfew.services import ZoneSpec
from onward.people.models import Person
from onward.people.selectors import person_get


@require_GET
@permission("location.view")
def person_day(request: HttpRequest, person_id: int, day: str) -> HttpResponse:
    person = _person(request, person_id, "location.view", AuditAction.LOCATION_DAY_VIEWED)
    try:
        wanted = date.fromisoformat(day)
    except ValueError:
        wanted = timezone.localdate()
    view = selectors.person_day(person, wanted)
    context = {
        "person": person,
        "view": view,
        "shading": selectors.curfew_shading(view),
        "zone_names": {str(zone.pk): zone.label for zone in view.zones},
        "tiles": selectors.tile_settings(),
        "previous_day": (wanted - timedelta(days=1)).isoformat(),
        "next_day": (wanted + timedelta(days=1)).isoformat(),
    }
    return render(request, "curfew/person_day.html", context)


@permission("curfew.set_terms")
def terms_page(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id, "curfew.set_terms", AuditAction.PERSON_VIEW)
    current = (
        CurfewTerms.objects.filter(person=person).order_by("-issued_at").prefetch_related("windows", "zones").first()
    )
    zone_form = ZoneForm(request.POST or None, prefix="zone")
    form = TermsForm(request.POST or None, initial=_initial(person, current))
    if request.method == "POST":
        adding = any(request.POST.get(f"zone-{name}") for name in ("label", "centre", "corners", "geojson"))
        kept = [
            ZoneSpec(z.kind, z.geojson, z.label, z.description, z.description_cy, z.applies)
            for z in (current.zones.all() if current else [])
            if not z.is_curfew_address and f"remove_{z.pk}" not in request.POST
        ]
        if form.is_valid() and (not adding or zone_form.is_valid()):
            zones = kept + ([zone_form.zone()] if adding else [])
            try:
                services.curfew_terms_set(actor=request.user, person=person, curfew=form.curfew(), zones=zones)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The curfew and zones are set. A new licence version was issued."))
                return redirect("curfew:terms", person_id=person.pk)
        if not adding:
            zone_form = ZoneForm(prefix="zone")
    context = {
        "person": person,
        "form": form,
        "zone_form": zone_form,
        "current": current,
        "tiles": selectors.tile_settings(),
        "variation_form": VariationForm(),
        "variations": CurfewVariation.objects.filter(person=person, state=VariationState.APPROVED).order_by("-night")[
            :20
        ],
        "may_vary": can(request.user, "curfew.vary", person),
        "random_checkins": random_checkins_count(person),
        "random_checkins_fit": random_checkins_fit(person),
        "window_minutes": settings.CURFEW_CHECKIN_WINDOW_MINUTES,
        "random_form": RandomCheckinsForm(initial={"per_night": random_checkins_count(person).per_night}),
        "today": timezone.localdate().isoformat(),
    }
    return render(request, "curfew/terms.html", context)


@require_POST
@permission("curfew.vary")
def variation_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id, "curfew.vary", AuditAction.PERSON_VIEW)
    form = VariationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.curfew_variation_approve(
                actor=request.user,
                person=person,
                night=data["night"],
                start=data["start"],
                end=data["end"],
                reason=data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The change to that night's curfew is approved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("curfew:terms", person_id=person.pk)


@require_POST
@permission("curfew.vary")
def random_checkins(request: HttpRequest, person_id: int) -> HttpResponse:
    """Set how many random check-ins the person is asked for each night of curfew."""
    person = _person(request, person_id, "curfew.vary", AuditAction.PERSON_VIEW)
    form = RandomCheckinsForm(request.POST)
    if form.is_valid():
        try:
            row = random_checkins_set(actor=request.user, person=person, per_night=form.cleaned_data["per_night"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if row.per_night:
                messages.success(
                    request,
                    ngettext(
                        "%(n)d random check-in each night of curfew.",
                        "%(n)d random check-ins each night of curfew.",
                        row.per_night,
                    )
                    % {"n": row.per_night},
                )
            else:
                messages.success(request, _("Random check-ins are stopped."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(reverse("curfew:terms", kwargs={"person_id": person.pk}) + "#random-checkins")


@require_GET
@permission("location.view")
def evidence_download(request: HttpRequest, alert_id: int) -> HttpResponse:
    """The alert's evidence pack as one ZIP (a PDF summary and the files); the download is audited."""
    alert = alert_get(request.user, alert_id)
    pack = evidence_pack(actor=request.user, alert=alert)
    response = HttpResponse(pack.content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{pack.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@permission("person.self")
def own_terms_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require(user, "curfew.view_own")
    person = user.person
    if person is None:
        raise PermissionDenied("curfew.view_own")
    terms = selectors.own_terms(person, get_language() or "en-gb")
    return render(request, "curfew/own_terms.html", {"terms": terms, "person": person})


def _person(request: HttpRequest, person_id: int, action: str, purpose: AuditAction) -> Person:
    person = person_get(request.user, person_id, purpose=purpose)
    if not can(request.user, action, person):
        raise PermissionDenied(action)
    return person


def _initial(person: Person, current: CurfewTerms | None) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "address": "\n".join(person.address_lines),
        "latitude": person.address_latitude,
        "longitude": person.address_longitude,
    }
    if current is not None and current.address:
        initial.update({"address": current.address, "latitude": current.latitude, "longitude": current.longitude})
        for window in current.windows.all():
            initial[f"start_{window.weekday}"] = clock(window.start)
            initial[f"end_{window.weekday}"] = clock(window.end)
    return initial
