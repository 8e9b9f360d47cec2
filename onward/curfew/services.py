"""Setting a person's curfew and zones (a new licence version), and approving a night's variation.

`curfew_terms_set` checks the windows against the legal minimum and maximum hours (settings), reads each
zone's GeoJSON into metres, and issues a new licence version through the people app whose curfew and
exclusion-zone conditions are written from the data, in English and Welsh (`words.py`). The other
conditions of the version before are carried over unchanged. The terms are then stored with that version.

`curfew_variation_approve` records a practitioner's approved change to one night (a late shift) and
`curfew_variation_withdraw` takes it back; both are audited and the person is told.
"""

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onward.audit.services import audit_record
from onward.core.audit_actions import AuditAction
from onward.core.permissions import require
from onward.curfew.models import (
    CurfewTerms,
    CurfewVariation,
    CurfewWindow,
    VariationState,
    Zone,
    ZoneApplies,
    ZoneKind,
)
from onward.curfew.windows import Window
from onward.curfew.words import curfew_details, exclusion_details
from onward.location.zones import circle_feature, in_uk, zone_shape_from_geojson
from onward.people.models import LicenceVersion, Person
from onward.people.rules import acting_role
from onward.people.services import ConditionChoice, licence_version_issue

CURFEW_CODE = "curfew"
EXCLUSION_CODE = "exclusion_zone"
GENERATED_CODES = frozenset({CURFEW_CODE, EXCLUSION_CODE})
REASON_MAX_CHARS = 500
DESCRIPTION_MAX_CHARS = 300
LABEL_MAX_CHARS = 200
ZONES_MAX = 20


@dataclass(frozen=True)
class ZoneSpec:
    """One zone as staff drew it: a GeoJSON Feature, its kind, and its words for staff and for the person."""

    kind: str
    geojson: dict[str, Any]
    label: str
    description: str
    description_cy: str = ""
    applies: str = ZoneApplies.ALWAYS


@dataclass(frozen=True)
class CurfewSpec:
    """The curfew: where (the address as written, and its point) and when (one window a night at most)."""

    address: str
    latitude: float
    longitude: float
    windows: list[Window] = field(default_factory=list)
    radius_m: float | None = None  # how far from the point counts as home; the setting when None


def curfew_terms_set(*, actor: Any, person: Person, curfew: CurfewSpec | None, zones: list[ZoneSpec]) -> CurfewTerms:
    """Issue a new licence version carrying this curfew and these zones, and store them with it."""
    require(actor, "curfew.set_terms", person)
    if curfew is not None:
        windows_check(curfew.windows)
        if not curfew.address.strip():
            raise ValidationError(_("Write the curfew address."))
        if not in_uk(curfew.latitude, curfew.longitude):
            raise ValidationError(_("The curfew address must be in the United Kingdom."))
    if len(zones) > ZONES_MAX:
        raise ValidationError(_("A licence can have at most %(n)d zones.") % {"n": ZONES_MAX})
    built = [_zone_build(spec) for spec in zones]
    if curfew is not None and not any(zone.applies == ZoneApplies.CURFEW for zone, _shape in built):
        radius = curfew.radius_m if curfew.radius_m is not None else settings.CURFEW_ADDRESS_RADIUS_M
        home = ZoneSpec(
            kind=ZoneKind.INCLUSION,
            geojson=circle_feature(curfew.latitude, curfew.longitude, radius),
            label=_("Curfew address"),
            description="Your curfew address",
            description_cy="Eich cyfeiriad cyrffyw",
            applies=ZoneApplies.CURFEW,
        )
        zone, shape = _zone_build(home)
        zone.is_curfew_address = True
        built.insert(0, (zone, shape))
    conditions = _carried_conditions(person)
    if curfew is not None and curfew.windows:
        english, welsh = curfew_details(curfew.windows, curfew.address.strip())
        conditions.append(ConditionChoice(code=CURFEW_CODE, details=english, details_cy=welsh))
    for zone, shape in built:
        if zone.kind == ZoneKind.EXCLUSION:
            english, welsh = exclusion_details(zone.description, zone.description_cy, shape.width_m())
            conditions.append(ConditionChoice(code=EXCLUSION_CODE, details=english, details_cy=welsh))
    with transaction.atomic():
        version = licence_version_issue(actor=actor, person=person, conditions=conditions)
        terms = CurfewTerms.objects.create(
            person=person,
            licence_version=version,
            address=curfew.address.strip() if curfew else "",
            latitude=curfew.latitude if curfew else None,
            longitude=curfew.longitude if curfew else None,
            issued_at=version.issued_at,
            created_by=actor,
        )
        if curfew is not None:
            CurfewWindow.objects.bulk_create(
                CurfewWindow(terms=terms, weekday=w.weekday, start=w.start, end=w.end) for w in curfew.windows
            )
        for zone, _shape in built:
            zone.terms = terms
            zone.person = person
        Zone.objects.bulk_create([zone for zone, _shape in built])
        terms.snapshot = terms_snapshot(curfew.windows if curfew else [], [zone for zone, _shape in built])
        terms.save(update_fields=["snapshot"])
        audit_record(
            actor=actor,
            role=acting_role(actor, person),
            action=AuditAction.CURFEW_TERMS_SET,
            person=person,
            target=terms,
            data={
                "licence_version": version.number,
                "windows": [
                    {"weekday": w.weekday, "start": w.start.isoformat(), "end": w.end.isoformat()}
                    for w in (curfew.windows if curfew else [])
                ],
                "zones": [{"kind": zone.kind, "applies": zone.applies, "label": zone.label} for zone, _s in built],
            },
        )
    return terms


def terms_snapshot(windows: list[Window], zones: list[Zone]) -> dict[str, Any]:
    """What the evaluation needs of the terms, in one JSON value: windows, and each zone's kind and shape."""
    return {
        "windows": [[w.weekday, w.start.strftime("%H:%M:%S"), w.end.strftime("%H:%M:%S")] for w in windows],
        "zones": [
            [zone.pk, zone.kind, zone.applies, zone.label, bytes(zone.bng_wkb).hex(), zone.radius_m] for zone in zones
        ],
    }


def windows_check(windows: list[Window]) -> None:
    """Refuse windows that break the law's hours (settings) or repeat a night, in words staff can act on."""
    nights = [window.weekday for window in windows]
    if len(set(nights)) != len(nights):
        raise ValidationError(_("Give each night at most one curfew window."))
    for window in windows:
        _window_hours_check(window.wall_hours(), window.weekday)
    total = sum(window.wall_hours() for window in windows)
    if total > settings.CURFEW_MAX_HOURS_PER_WEEK:
        raise ValidationError(
            _("The curfew adds up to %(hours)s hours a week. It can be at most %(max)s.")
            % {"hours": _hours(total), "max": _hours(settings.CURFEW_MAX_HOURS_PER_WEEK)}
        )


def curfew_variation_approve(
    *, actor: Any, person: Person, night: date, start: time | None, end: time | None, reason: str
) -> CurfewVariation:
    """Approve a different curfew for one night (or none), replacing any variation already approved for it."""
    require(actor, "curfew.vary", person)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the curfew is changing for this night."))
    if len(reason) > REASON_MAX_CHARS:
        raise ValidationError(_("Keep the reason under %(n)d characters.") % {"n": REASON_MAX_CHARS})
    if (start is None) != (end is None):
        raise ValidationError(_("Give both the start and the end of the night's curfew, or neither."))
    if start is not None and end is not None:
        if start == end:
            raise ValidationError(_("The curfew cannot start and end at the same time."))
        _window_hours_check(Window(night.weekday(), start, end).wall_hours(), night.weekday())
    if night < timezone.localdate() - timedelta(days=1):
        raise ValidationError(_("A variation must be for tonight or a night to come."))
    with transaction.atomic():
        replaced = list(
            CurfewVariation.objects.select_for_update().filter(
                person=person, night=night, state=VariationState.APPROVED
            )
        )
        for old in replaced:
            old.state = VariationState.WITHDRAWN
            old.withdrawn_by = actor
            old.withdrawn_at = timezone.now()
            old.withdrawn_reason = "replaced"
            old.save(update_fields=["state", "withdrawn_by", "withdrawn_at", "withdrawn_reason"])
        variation = CurfewVariation.objects.create(
            person=person, night=night, start=start, end=end, reason=reason, approved_by=actor
        )
        audit_record(
            actor=actor,
            role=acting_role(actor, person),
            action=AuditAction.CURFEW_VARIATION_APPROVED,
            person=person,
            target=variation,
            reason=reason,
            data={
                "night": night.isoformat(),
                "start": start.isoformat() if start else None,
                "end": end.isoformat() if end else None,
                "replaced": [old.pk for old in replaced],
            },
        )
    return variation


def curfew_variation_withdraw(*, actor: Any, variation: CurfewVariation, reason: str) -> CurfewVariation:
    """Take back an approved variation: the night's usual curfew applies again."""
    require(actor, "curfew.vary", variation.person)
    if variation.state != VariationState.APPROVED:
        raise ValidationError(_("This change has already been withdrawn."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the change is withdrawn."))
    with transaction.atomic():
        variation.state = VariationState.WITHDRAWN
        variation.withdrawn_by = actor
        variation.withdrawn_at = timezone.now()
        variation.withdrawn_reason = reason[:REASON_MAX_CHARS]
        variation.save(update_fields=["state", "withdrawn_by", "withdrawn_at", "withdrawn_reason"])
        audit_record(
            actor=actor,
            role=acting_role(actor, variation.person),
            action=AuditAction.CURFEW_VARIATION_WITHDRAWN,
            person=variation.person,
            target=variation,
            reason=reason,
        )
    return variation


def terms_current(person: Person) -> CurfewTerms | None:
    """The curfew and zones in force now: those of the latest licence version that set them."""
    return CurfewTerms.objects.filter(person=person, issued_at__lte=timezone.now()).order_by("-issued_at").first()


def _window_hours_check(hours: float, weekday: int) -> None:
    if hours < settings.CURFEW_MIN_HOURS_PER_NIGHT:
        raise ValidationError(
            _("A night's curfew must last at least %(min)s hours. This one lasts %(hours)s.")
            % {"min": _hours(settings.CURFEW_MIN_HOURS_PER_NIGHT), "hours": _hours(hours)}
        )
    if hours > settings.CURFEW_MAX_HOURS_PER_NIGHT:
        raise ValidationError(
            _("A night's curfew can last at most %(max)s hours. This one lasts %(hours)s.")
            % {"max": _hours(settings.CURFEW_MAX_HOURS_PER_NIGHT), "hours": _hours(hours)}
        )


def _hours(hours: float) -> str:
    return f"{hours:g}"


def _zone_build(spec: ZoneSpec) -> tuple[Zone, Any]:
    if spec.kind not in ZoneKind.values:
        raise ValidationError(_("Choose whether the person must stay inside the zone or keep out of it."))
    if spec.applies not in ZoneApplies.values:
        raise ValidationError(_("Choose when the zone applies."))
    if spec.kind == ZoneKind.EXCLUSION and spec.applies != ZoneApplies.ALWAYS:
        raise ValidationError(_("An exclusion zone applies at all times."))
    label, description = spec.label.strip(), spec.description.strip()
    if not label:
        raise ValidationError(_("Give the zone a name staff will recognise."))
    if not description:
        raise ValidationError(_("Describe the zone in plain words for the person (not a victim's address)."))
    if len(label) > LABEL_MAX_CHARS or len(description) > DESCRIPTION_MAX_CHARS:
        raise ValidationError(_("Keep the zone's name and description short."))
    shape = zone_shape_from_geojson(spec.geojson)
    zone = Zone(
        kind=spec.kind,
        applies=spec.applies,
        label=label,
        description=description,
        description_cy=spec.description_cy.strip()[:DESCRIPTION_MAX_CHARS],
        geojson=spec.geojson,
        bng_wkb=shape.to_wkb(),
        radius_m=shape.radius_m,
    )
    return zone, shape


def _carried_conditions(person: Person) -> list[ConditionChoice]:
    """The conditions of the latest version, except those written from curfew data, to carry over."""
    latest = LicenceVersion.objects.filter(person=person).order_by("-number").first()
    if latest is None:
        return []
    carried = []
    for condition in latest.conditions.select_related("condition_type").all():
        code = condition.condition_type.code if condition.condition_type else ""
        if code in GENERATED_CODES:
            continue
        if code:
            carried.append(ConditionChoice(code=code, details=condition.details))
        else:
            carried.append(ConditionChoice(text=condition.text, explanation=condition.explanation))
    return carried
