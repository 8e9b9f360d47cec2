"""The services directory: the person's search and entry pages, staff look-up, and the editors' pages.

Thin: parse, call a service or selector, render. Each view declares its action; the selectors show
people and most staff only published entries, and the services check editors themselves.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onward.accounts.actors import signed_in_user
from onward.core.audit_actions import AuditAction
from onward.core.permissions import can, permission
from onward.directory import selectors, services
from onward.directory.forms import SearchForm, ServiceForm, WithdrawForm, service_initial
from onward.directory.models import OpeningException, Service
from onward.directory.opening import Hours, opening_status, periods_words, status_words, week_table
from onward.directory.selectors import Origin, ServiceRow
from onward.location.address import metres_in_words, to_bng
from onward.location.postcodes import PostcodeError, postcode_locate
from onward.people.selectors import person_get

# --- The person -------------------------------------------------------------------------------


@permission("directory.self")
def person_directory(request: HttpRequest) -> HttpResponse:
    person = person_get(request.user, int(request.user.person_id), purpose=AuditAction.PERSON_VIEW_OWN_FOR_DIRECTORY)  # type: ignore[union-attr, arg-type]
    home = _home_origin(person)
    search = _search(request, home=home, here_allowed=person.offers.phone_location)
    context = {**search, "has_home": home is not None, "links_live": person.offers.outside_links}
    return render(request, "directory/person_list.html", context, status=400 if search["form"].errors else 200)


@permission("directory.self")
def person_service(request: HttpRequest, service_id: int) -> HttpResponse:
    person = person_get(request.user, int(request.user.person_id), purpose=AuditAction.PERSON_VIEW_OWN_FOR_DIRECTORY)  # type: ignore[union-attr, arg-type]
    service = selectors.service_get(request.user, service_id)
    context = {**_entry(service), "links_live": person.offers.outside_links, "back": request.GET.get("back", "")}
    return render(request, "directory/person_detail.html", context)


# --- Staff ------------------------------------------------------------------------------------


@permission("directory.view")
def staff_directory(request: HttpRequest) -> HttpResponse:
    may_edit = can(request.user, "directory.edit")
    search = _search(request, include_withdrawn=may_edit, list_all=True)
    check_due = timezone.localdate() - dt.timedelta(days=settings.DIRECTORY_CHECK_DUE_DAYS)
    context = {**search, "may_edit": may_edit, "check_due": check_due}
    return render(request, "directory/staff_list.html", context, status=400 if search["form"].errors else 200)


@permission("directory.view")
def staff_service(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.service_get(request.user, service_id)
    context = {
        **_entry(service),
        "links_live": True,
        "may_edit": can(request.user, "directory.edit", service),
        "withdraw_form": WithdrawForm(),
    }
    return render(request, "directory/staff_detail.html", context)


@permission("directory.edit")
def service_new(request: HttpRequest) -> HttpResponse:
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_create(actor=signed_in_user(request), details=form.details())
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Entry added. People can see it now."))
            return redirect("directory:staff_service", service_id=service.pk)
    status = 400 if form.errors else 200
    return render(request, "directory/service_form.html", {"form": form, "service": None}, status=status)


@permission("directory.edit")
def service_edit(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.service_get(request.user, service_id, all_exceptions=True)
    form = ServiceForm(request.POST or None, initial=service_initial(service))
    if request.method == "POST" and form.is_valid():
        try:
            services.service_update(actor=signed_in_user(request), service=service, details=form.details())
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Entry saved. It is marked as checked today."))
            return redirect("directory:staff_service", service_id=service.pk)
    status = 400 if form.errors else 200
    return render(request, "directory/service_form.html", {"form": form, "service": service}, status=status)


@permission("directory.edit")
@require_POST
def service_checked(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.service_get(request.user, service_id)
    services.service_mark_checked(actor=signed_in_user(request), service=service)
    messages.success(request, _("Marked as checked today."))
    return redirect("directory:staff_service", service_id=service.pk)


@permission("directory.edit")
@require_POST
def service_withdraw(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.service_get(request.user, service_id)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the entry is being withdrawn."))
        return redirect("directory:staff_service", service_id=service.pk)
    try:
        services.service_withdraw(actor=signed_in_user(request), service=service, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Entry withdrawn. People no longer see it."))
    return redirect("directory:staff_service", service_id=service.pk)


@permission("directory.edit")
@require_POST
def service_publish(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.service_get(request.user, service_id)
    try:
        services.service_publish(actor=signed_in_user(request), service=service)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Entry published. People can see it again."))
    return redirect("directory:staff_service", service_id=service.pk)


# --- Helpers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    service: Service
    distance: str
    status: str
    is_open: bool
    description: str


def _search(
    request: HttpRequest,
    *,
    home: Origin | None = None,
    include_withdrawn: bool = False,
    list_all: bool = False,
    here_allowed: bool = True,
) -> dict[str, Any]:
    """Read the search form, work out where "near" is, and list what matches (or all, for staff).

    `here_allowed` is False for a reader with no phone of their own (in custody): "near where I am now"
    is neither offered nor used.
    """
    form = SearchForm(request.GET)
    origin, origin_label = None, ""
    rows: list[ServiceRow] = []
    searched = bool(request.GET) or list_all
    if searched and form.is_valid():
        data = form.cleaned_data
        if data["near"] == "here" and not here_allowed:
            pass  # not offered: the search is by words and postcode only
        elif data["near"] == "here" and data["lat"] is not None and data["lon"] is not None:
            origin, origin_label = Origin(*to_bng(data["lat"], data["lon"])), _("where you are now")
        elif data["near"] == "here":
            form.add_error(None, _("Your phone did not share where you are. Type your postcode instead."))
        elif data["near"] == "home" and home is not None:
            origin, origin_label = home, _("your home")
        elif data["near"] == "home":
            form.add_error(None, _("We do not have your home on record. Type your postcode instead."))
        elif data["postcode"].strip():
            try:
                place = postcode_locate(data["postcode"])
            except PostcodeError as error:
                form.add_error("postcode", str(error))
            else:
                origin, origin_label = Origin(place.easting, place.northing), place.postcode
        if not form.errors:
            rows = selectors.service_search(
                request.user,
                words=data["q"],
                category=data["category"],
                origin=origin,
                open_now=data["open_now"],
                include_withdrawn=include_withdrawn,
            )
    now = timezone.now()
    language = get_language() or "en-gb"
    listed = [
        Listed(
            service=r.service,
            distance=metres_in_words(r.distance_m) if r.distance_m is not None else "",
            status=status_words(r.status, now),
            is_open=r.status.is_open,
            description=r.service.text_in(language, "description"),
        )
        for r in rows
    ]
    query = request.GET.copy()
    return {
        "form": form,
        "results": listed,
        "searched": searched,
        "origin_label": origin_label,
        "radius_km": settings.DIRECTORY_NEAR_ME_RADIUS_KM,
        "position_decimals": settings.DIRECTORY_POSITION_DECIMALS,
        "query": query.urlencode(),
        "offer_here": here_allowed,
    }


def _entry(service: Service) -> dict[str, Any]:
    now = timezone.now()
    hours = Hours.of(service)
    language = get_language() or "en-gb"
    today = timezone.localdate()
    exceptions: dict[dt.date, list[OpeningException]] = {}
    for e in service.opening_exceptions.all():
        if e.date >= today:
            exceptions.setdefault(e.date, []).append(e)
    return {
        "service": service,
        "description": service.text_in(language, "description"),
        "what_to_bring": service.text_in(language, "what_to_bring"),
        "status": status_words(opening_status(hours, now), now),
        "is_open": opening_status(hours, now).is_open,
        "week": week_table(hours),
        "hours_known": hours.known,
        "exceptions": [
            (day, periods_words((e.opens, e.closes) for e in rows if e.opens and e.closes), rows[0].note)
            for day, rows in sorted(exceptions.items())
        ],
    }


def _home_origin(person: Any) -> Origin | None:
    if person.address_latitude is None or person.address_longitude is None:
        return None
    return Origin(*to_bng(person.address_latitude, person.address_longitude))


def _form_errors(form: ServiceForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error)
