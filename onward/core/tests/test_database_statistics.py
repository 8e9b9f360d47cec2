import pytest
from django.db import connection

from onward.core.database import database_statistics_refresh
from onward.jobs.schedule import periodic_jobs
from onward.organisations.tests.factories import OfficeFactory
from onward.people.models import Person
from onward.people.tests.factories import CommunityPersonFactory

pytestmark = pytest.mark.django_db


def _people(count: int) -> None:
    office = OfficeFactory.create()
    template = CommunityPersonFactory.build(unit=office)
    Person.objects.bulk_create(
        Person(
            first_name=f"Synthetic{i}",
            last_name=f"Statistics{i % 37}",
            date_of_birth=template.date_of_birth,
            crn=f"S{i:06d}",
            status=template.status,
            unit=office,
        )
        for i in range(count)
    )


def test_the_refresh_runs_every_hour_from_the_scheduler() -> None:
    job = periodic_jobs()["database_statistics"]
    assert job.function_path == "onward.core.database.database_statistics_refresh"
    assert job.interval_seconds == 3600


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps no statistics until told to")
def test_on_sqlite_the_planner_gets_statistics_for_the_people_table() -> None:
    _people(60)
    assert database_statistics_refresh() == {"vendor": "sqlite", "refreshed": True}
    with connection.cursor() as cursor:
        cursor.execute("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'people_person'")
        stats = dict(cursor.fetchall())
    # The row count leads each index's statistics: the planner now knows how many people there are.
    assert stats, "no statistics were written for people_person"
    assert all(stat.split()[0] == "60" for stat in stats.values())


@pytest.mark.skipif(connection.vendor == "sqlite", reason="the other databases keep their own statistics")
def test_elsewhere_the_database_is_left_to_its_own_statistics() -> None:
    assert database_statistics_refresh() == {"vendor": connection.vendor, "refreshed": False}
