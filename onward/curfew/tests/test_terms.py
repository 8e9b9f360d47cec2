"""Curfew and zones set as data: the law's hours, the licence words in English and Welsh, variations, audit."""

from datetime import date, time, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from onward.audit.models import AuditEvent
from onward.core.audit_actions import AuditAction
from onward.curfew.models import CurfewVariation, VariationState, Zone
from onward.curfew.services import (
    CurfewSpec,
    curfew_terms_set,
    curfew_variation_approve,
    curfew_variation_withdraw,
)
from onward.curfew.tests.conftest import HOME, every_night, keep_out_zone
from onward.curfew.windows import Window
from onward.people.tests.factories import LicenceVersionFactory

pytestmark = pytest.mark.django_db


def test_setting_terms_issues_a_licence_version_whose_words_come_from_the_data(
    case: dict[str, Any], terms: Any
) -> None:
    version = terms.licence_version
    conditions = {c.condition_type.code: c for c in version.conditions.select_related("condition_type")}
    curfew = conditions["curfew"]
    assert "Monday to Sunday, 19:00 to 07:00, at 1 Synthetic Street, Leeds" in curfew.text
    assert "Dydd Llun i Dydd Sul, 19:00 i 07:00, yn 1 Synthetic Street, Leeds" in curfew.text_cy
    zone = conditions["exclusion_zone"]
    assert "The streets around the market (about 600 m across)" in zone.text
    assert "Y strydoedd o gwmpas y farchnad" in zone.text_cy
    assert "53.79" not in zone.text
    assert "Synthetic victim" not in zone.text
    kinds = sorted(Zone.objects.filter(terms=terms).values_list("kind", "is_curfew_address"))
    assert kinds == [("exclusion", False), ("inclusion", True)]
    assert AuditEvent.objects.filter(action=AuditAction.CURFEW_TERMS_SET, person_id=case["person"].pk).count() == 1


def test_nights_with_the_same_hours_are_grouped_in_the_words(case: dict[str, Any]) -> None:
    windows = [Window(day, time(19), time(7)) for day in range(5)] + [Window(5, time(21), time(7))]
    terms = curfew_terms_set(
        actor=case["practitioner"],
        person=case["person"],
        curfew=CurfewSpec("1 Synthetic Street", *HOME, windows=windows),
        zones=[],
    )
    text = terms.licence_version.conditions.get(condition_type__code="curfew").text
    assert "Monday to Friday, 19:00 to 07:00; Saturday, 21:00 to 07:00" in text


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [(time(22), time(6), "at least 9 hours"), (time(7), time(5), "at most 20 hours")],
)
def test_a_window_outside_the_legal_hours_is_refused(case: dict[str, Any], start: time, end: time, words: str) -> None:
    with pytest.raises(ValidationError) as refused:
        curfew_terms_set(
            actor=case["practitioner"],
            person=case["person"],
            curfew=CurfewSpec("1 Synthetic Street", *HOME, windows=[Window(0, start, end)]),
            zones=[],
        )
    assert words in " ".join(refused.value.messages)


def test_the_minimum_is_a_setting(case: dict[str, Any], settings: Any) -> None:
    settings.CURFEW_MIN_HOURS_PER_NIGHT = 2
    terms = curfew_terms_set(
        actor=case["practitioner"],
        person=case["person"],
        curfew=CurfewSpec("1 Synthetic Street", *HOME, windows=[Window(0, time(22), time(1))]),
        zones=[],
    )
    assert terms.windows.count() == 1


def test_someone_elses_case_cannot_have_terms_set(case: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        curfew_terms_set(actor=case["stranger"], person=case["person"], curfew=None, zones=[keep_out_zone()])


def test_other_conditions_are_carried_into_the_new_version(case: dict[str, Any]) -> None:
    LicenceVersionFactory(person=case["person"], number=1, issued_by=case["practitioner"])
    terms = curfew_terms_set(
        actor=case["practitioner"],
        person=case["person"],
        curfew=CurfewSpec("1 Synthetic Street", *HOME, windows=every_night()),
        zones=[keep_out_zone()],
    )
    standard = set(
        terms.licence_version.conditions.exclude(condition_type__code__in=["curfew", "exclusion_zone"]).values_list(
            "condition_type__code", flat=True
        )
    )
    assert standard
    again = curfew_terms_set(actor=case["practitioner"], person=case["person"], curfew=None, zones=[])
    codes = set(again.licence_version.conditions.values_list("condition_type__code", flat=True))
    assert "curfew" not in codes
    assert "exclusion_zone" not in codes
    assert codes == standard
    assert again.licence_version.number == terms.licence_version.number + 1


def test_a_variation_is_approved_audited_and_replaces_the_one_before(case: dict[str, Any], terms: Any) -> None:
    night = timezone.localdate() + timedelta(days=2)
    first = curfew_variation_approve(
        actor=case["practitioner"], person=case["person"], night=night, start=time(23), end=time(8), reason="Late shift"
    )
    second = curfew_variation_approve(
        actor=case["practitioner"], person=case["person"], night=night, start=None, end=None, reason="Night shift"
    )
    first.refresh_from_db()
    assert first.state == VariationState.WITHDRAWN
    assert second.state == VariationState.APPROVED
    curfew_variation_withdraw(actor=case["practitioner"], variation=second, reason="Shift cancelled")
    assert not CurfewVariation.objects.filter(person=case["person"], state=VariationState.APPROVED).exists()
    actions = list(AuditEvent.objects.filter(person_id=case["person"].pk).values_list("action", flat=True))
    assert actions.count(AuditAction.CURFEW_VARIATION_APPROVED) == 2
    assert actions.count(AuditAction.CURFEW_VARIATION_WITHDRAWN) == 1


def test_a_variation_needs_a_reason_and_legal_hours(case: dict[str, Any], terms: Any) -> None:
    night = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError):
        curfew_variation_approve(
            actor=case["practitioner"], person=case["person"], night=night, start=time(23), end=time(7), reason=""
        )
    with pytest.raises(ValidationError):
        curfew_variation_approve(
            actor=case["practitioner"], person=case["person"], night=night, start=time(1), end=time(7), reason="Short"
        )
    with pytest.raises(ValidationError):
        curfew_variation_approve(
            actor=case["practitioner"],
            person=case["person"],
            night=date(2020, 1, 1),
            start=None,
            end=None,
            reason="Past",
        )
