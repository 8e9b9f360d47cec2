"""Every change to the services directory: add, change, mark checked, withdraw, publish again.

Each is one transaction that checks the editor may do it and writes an audit event. A service's
position comes from the editor (latitude and longitude) or from its postcode, offline.
"""

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onward.audit.services import audit_record
from onward.core.audit_actions import AuditAction
from onward.core.permissions import require
from onward.directory.models import (
    REASON_REQUIRED,
    OpeningException,
    OpeningPeriod,
    Service,
    ServiceState,
    transition_allowed,
)
from onward.directory.opening import Period
from onward.location.address import to_bng
from onward.location.postcodes import PostcodeError, postcode_locate, postcode_tidy
from onward.organisations.models import Role
from onward.organisations.roles import has_role


@dataclass
class ServiceDetails:
    """What an editor writes about a service. Opening times: weekday (0 = Monday) to periods."""

    name: str
    category: str
    description: str
    address: str
    postcode: str = ""
    description_cy: str = ""
    what_to_bring: str = ""
    what_to_bring_cy: str = ""
    phone: str = ""
    website: str = ""
    email: str = ""
    areas_served: str = ""
    latitude: float | None = None
    longitude: float | None = None
    weekly: dict[int, list[Period]] = field(default_factory=dict)
    # A date with no periods is closed all day; the note says why ("Christmas Day").
    exceptions: dict[dt.date, tuple[list[Period], str]] = field(default_factory=dict)


TEXT_FIELDS = [
    f.name for f in fields(ServiceDetails) if f.name not in {"latitude", "longitude", "weekly", "exceptions"}
]


def service_create(*, actor: Any, details: ServiceDetails) -> Service:
    require(actor, "directory.edit")
    with transaction.atomic():
        service = Service(created_by=actor, last_checked_on=timezone.localdate(), last_checked_by=actor)
        _apply(service, details)
        service.full_clean()
        service.save()
        _hours_replace(service, details)
        audit_record(actor=actor, role=_role(actor), action=AuditAction.DIRECTORY_SERVICE_CREATED, target=service)
    return service


def service_update(*, actor: Any, service: Service, details: ServiceDetails) -> Service:
    """Change an entry. Editing counts as checking it: the editor has just looked at it."""
    require(actor, "directory.edit", service)
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk)
        before = {name: getattr(locked, name) for name in TEXT_FIELDS}
        _apply(locked, details)
        locked.last_checked_on = timezone.localdate()
        locked.last_checked_by = actor
        locked.full_clean()
        locked.save()
        _hours_replace(locked, details)
        changed = sorted(name for name in TEXT_FIELDS if before[name] != getattr(locked, name))
        audit_record(
            actor=actor,
            role=_role(actor),
            action=AuditAction.DIRECTORY_SERVICE_UPDATED,
            target=locked,
            data={"changed": changed},
        )
    return locked


def service_mark_checked(*, actor: Any, service: Service, on: dt.date | None = None) -> Service:
    """The editor has confirmed the entry is still right (rang them, looked at their website)."""
    require(actor, "directory.edit", service)
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk)
        locked.last_checked_on = on or timezone.localdate()
        locked.last_checked_by = actor
        locked.save(update_fields=["last_checked_on", "last_checked_by", "updated_at"])
        audit_record(actor=actor, role=_role(actor), action=AuditAction.DIRECTORY_SERVICE_CHECKED, target=locked)
    return locked


def service_withdraw(*, actor: Any, service: Service, reason: str) -> Service:
    """Hide an entry from people (closed down, moved, wrong). Needs a reason."""
    return _transition(actor, service, ServiceState.WITHDRAWN, reason, AuditAction.DIRECTORY_SERVICE_WITHDRAWN)


def service_publish(*, actor: Any, service: Service) -> Service:
    """Show a withdrawn entry to people again."""
    return _transition(actor, service, ServiceState.PUBLISHED, "", AuditAction.DIRECTORY_SERVICE_PUBLISHED)


def _transition(actor: Any, service: Service, target: str, reason: str, action: AuditAction) -> Service:
    require(actor, "directory.edit", service)
    reason = (reason or "").strip()
    if target in REASON_REQUIRED and not reason:
        raise ValidationError(_("Say why the entry is being withdrawn"))
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk)
        if not transition_allowed(locked.state, target):
            raise ValidationError(_("This entry is already %(state)s") % {"state": locked.get_state_display().lower()})
        locked.state = target
        locked.withdrawn_reason = reason if target == ServiceState.WITHDRAWN else ""
        locked.save(update_fields=["state", "withdrawn_reason", "updated_at"])
        audit_record(actor=actor, role=_role(actor), action=action, target=locked, reason=reason)
    return locked


def _apply(service: Service, details: ServiceDetails) -> None:
    for name in TEXT_FIELDS:
        setattr(service, name, (getattr(details, name) or "").strip())
    service.postcode = postcode_tidy(service.postcode) if service.postcode else ""
    if details.latitude is not None and details.longitude is not None:
        latitude, longitude = float(details.latitude), float(details.longitude)
        easting, northing = to_bng(latitude, longitude)
    elif service.postcode:
        try:
            place = postcode_locate(service.postcode)
        except PostcodeError as error:
            raise ValidationError({"postcode": str(error)}) from error
        latitude, longitude, easting, northing = place.latitude, place.longitude, place.easting, place.northing
    else:
        raise ValidationError({"postcode": _("Enter the postcode, or the latitude and longitude")})
    service.latitude, service.longitude = round(latitude, 6), round(longitude, 6)
    service.easting, service.northing = round(easting, 1), round(northing, 1)


def _hours_replace(service: Service, details: ServiceDetails) -> None:
    service.opening_periods.all().delete()
    service.opening_exceptions.all().delete()
    OpeningPeriod.objects.bulk_create(
        OpeningPeriod(service=service, weekday=day, opens=opens, closes=closes)
        for day, periods in sorted(details.weekly.items())
        for opens, closes in periods
    )
    rows = []
    for day, (periods, note) in sorted(details.exceptions.items()):
        if not periods:
            rows.append(OpeningException(service=service, date=day, closed=True, note=note))
        rows.extend(
            OpeningException(service=service, date=day, closed=False, opens=o, closes=c, note=note) for o, c in periods
        )
    OpeningException.objects.bulk_create(rows)


def _role(actor: Any) -> str:
    return str(Role.CONTENT_EDITOR) if has_role(actor, Role.CONTENT_EDITOR) else str(Role.ADMINISTRATOR)
