"""Enrolments made before suitability screens began are all left supplementing office visits."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("checkins", "0008_merge_20261205_1655")]
AFTER = [("checkins", "0009_suitability_screen_and_review_follow_up")]


@pytest.mark.django_db(transaction=True)
def test_existing_enrolments_are_marked_as_supplementing_office_visits() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    old = executor._create_project_state(with_applied_migrations=True).apps
    unit = old.get_model("organisations", "OrgUnit").objects.create(kind="region", code="R9", name="Region", path="/")
    person_model = old.get_model("people", "Person")
    enrolment_model = old.get_model("checkins", "Enrolment")
    made = {}
    for number, mode in enumerate(["replaces", "supplements"]):
        person = person_model.objects.create(
            crn=f"X20000{number}",
            first_name="Test",
            last_name="Person",
            date_of_birth=dt.date(1990, 1, 1),
            status="licence",
            unit=unit,
        )
        made[mode] = enrolment_model.objects.create(
            person=person, office_visits=mode, office_visits_reason=f"Reason for {mode}"
        ).pk

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    executor.loader.build_graph()
    new = executor._create_project_state(with_applied_migrations=True).apps
    enrolments = {e.pk: e for e in new.get_model("checkins", "Enrolment").objects.all()}
    assert {e.office_visits for e in enrolments.values()} == {"supplements"}
    was_replacing = enrolments[made["replaces"]]
    assert was_replacing.office_visits_reason.startswith("Changed to supplement office visits")
    assert was_replacing.office_visits_reason.endswith("Reason for replaces")
    assert enrolments[made["supplements"]].office_visits_reason == "Reason for supplements"
