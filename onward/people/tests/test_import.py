"""People in bulk: manage.py people_import and the service behind it (the page and API have their own tests)."""

import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onward.audit.models import AuditEvent
from onward.audit.services import audit_verify
from onward.organisations.models import Role
from onward.people import imports
from onward.people.imports import people_import_csv
from onward.people.models import Person, Status
from onward.people.tests.factories import CommunityPersonFactory, PersonFactory

pytestmark = pytest.mark.django_db

HEADER = "prison_number,crn,first_name,last_name,date_of_birth,status,unit_code,address_line_1,town,postcode,phone"
# Synthetic people: made-up names, numbers in the right formats, real postcodes (so they can be placed).
ROWS = [
    "A1111AA,,Test,Custody-One,1990-01-31,sentenced,NGT,,,,",
    ",X111111,Test,Community-Two,1985-06-15,licence,OFF-N,1 Test Street,Leeds,LS1 4AP,07700900111",
    "B2222BB,X222222,Test,Both-Three,1979-12-01,remand,NGT,,,,",
]


def csv_file(tmp_path: Any, *rows: str, header: str = HEADER, name: str = "people.csv") -> str:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return str(path)


def run(path: str, *args: str) -> tuple[int, dict[str, Any]]:
    """(exit status, report) of manage.py people_import."""
    out = StringIO()
    try:
        call_command("people_import", path, *args, stdout=out, stderr=StringIO())
        status = 0
    except CommandError as refused:
        status = refused.returncode
    return status, json.loads(out.getvalue())


def test_a_good_file_creates_everyone_placed_and_audited(org, tmp_path):
    status, report = run(csv_file(tmp_path, *ROWS))
    assert (status, report) == (0, {"created": 3, "updated": 0, "unchanged": 0})
    custody = Person.objects.get(prison_number="A1111AA")
    assert (custody.first_name, custody.unit, custody.status, custody.crn) == (
        "Test",
        org["ngt"],
        Status.SENTENCED,
        None,
    )
    community = Person.objects.get(crn="X111111")
    assert community.prison_number is None
    assert community.address == "1 Test Street\nLeeds\nLS1 4AP"
    assert community.address_precision_m == 100
    assert abs(community.address_latitude - 53.796) < 0.01
    assert abs(community.address_longitude + 1.548) < 0.01
    assert community.phone == "07700900111"
    assert community.phone_verified_at is None
    created = AuditEvent.objects.filter(action="person.created")
    assert sorted(created.values_list("person__last_name", flat=True)) == ["Both-Three", "Community-Two", "Custody-One"]
    assert created.get(person=community).data["line"] == 3
    summary = AuditEvent.objects.get(action="person.import_completed")
    assert summary.data["created"] == 3
    assert summary.actor_role == "system"
    assert summary.actor_system == "people_import"
    assert audit_verify()[1] == []


def test_importing_the_same_file_again_changes_nothing(org, tmp_path):
    path = csv_file(tmp_path, *ROWS)
    run(path)
    stamps = dict(Person.objects.values_list("pk", "updated_at"))
    events = AuditEvent.objects.count()
    status, report = run(path)
    assert (status, report) == (0, {"created": 0, "updated": 0, "unchanged": 3})
    assert dict(Person.objects.values_list("pk", "updated_at")) == stamps
    assert AuditEvent.objects.count() == events


def test_only_changed_fields_are_written_and_audited_with_before_and_after(org, tmp_path):
    run(csv_file(tmp_path, *ROWS))
    changed = ROWS[1].replace("Community-Two", "Community-Renamed").replace("07700900111", "07700900999")
    status, report = run(csv_file(tmp_path, ROWS[0], changed, ROWS[2], name="second.csv"))
    assert (status, report) == (0, {"created": 0, "updated": 1, "unchanged": 2})
    event = AuditEvent.objects.get(action="person.updated")
    assert event.data["before"] == {"last_name": "Community-Two", "phone": "07700900111"}
    assert event.data["after"] == {"last_name": "Community-Renamed", "phone": "07700900999"}
    assert event.person.crn == "X111111"


def test_one_bad_row_imports_nothing_and_every_problem_is_named(org, tmp_path):
    rows = [
        ROWS[0],
        "C3333CC,,Test,Bad-Date,1990-02-30,sentenced,NGT,,,,",  # line 3: no such date
        ROWS[1],
        "D4444DD,,Test,Bad-Status-And-Unit,1990-01-01,asleep,XYZ,,,,",  # line 5: two problems
        "not-a-number,,,Bad-Everything,,sentenced,NGT,,,,",  # line 6
    ]
    status, report = run(csv_file(tmp_path, *rows))
    assert status == 1
    assert not Person.objects.exists()
    assert not AuditEvent.objects.exists()
    named = {(e["line"], e["column"]) for e in report["errors"]}
    assert named == {
        (3, "date_of_birth"),
        (5, "status"),
        (5, "unit_code"),
        (6, "prison_number"),
        (6, "first_name"),
        (6, "date_of_birth"),
    }
    assert all(e["message"] for e in report["errors"])
    assert set(report) == {"errors"}


def test_empty_cells_are_unknown_and_never_clear_a_field(org, tmp_path):
    person = CommunityPersonFactory(crn="X555555", unit=org["office_n"], phone="07700900555")
    status, report = run(csv_file(tmp_path, ",X555555,,,,,,,,,"))
    assert (status, report) == (0, {"created": 0, "updated": 0, "unchanged": 1})
    person.refresh_from_db()
    assert person.phone == "07700900555"
    assert person.first_name


def test_a_row_is_matched_on_prison_number_then_crn(org, tmp_path):
    by_number = PersonFactory(prison_number="E5555EE", crn=None, unit=org["wing_a"], last_name="Old")
    by_crn = CommunityPersonFactory(prison_number=None, crn="X666666", unit=org["office_n"], last_name="Old")
    rows = [
        "E5555EE,X777777,Test,New-By-Number,1980-01-01,sentenced,NGT,,,,",  # matched by number; gains a CRN
        "F6666FF,X666666,Test,New-By-Crn,1980-01-01,licence,OFF-N,,,,",  # no such number: matched by CRN
    ]
    status, report = run(csv_file(tmp_path, *rows))
    assert (status, report) == (0, {"created": 0, "updated": 2, "unchanged": 0})
    by_number.refresh_from_db()
    by_crn.refresh_from_db()
    assert (by_number.last_name, by_number.crn) == ("New-By-Number", "X777777")
    assert (by_crn.last_name, by_crn.prison_number) == ("New-By-Crn", "F6666FF")
    # Naming the prison keeps them on the wing where they are.
    assert by_number.unit == org["wing_a"]
    assert Person.objects.count() == 2


def test_a_number_and_a_crn_that_belong_to_two_people_are_refused(org, tmp_path):
    PersonFactory(prison_number="G7777GG", crn=None, unit=org["wing_a"])
    CommunityPersonFactory(crn="X888888", unit=org["office_n"])
    status, report = run(csv_file(tmp_path, "G7777GG,X888888,Test,Two-People,1980-01-01,sentenced,NGT,,,,"))
    assert status == 1
    assert [(e["line"], e["column"]) for e in report["errors"]] == [(2, "crn")]


def test_the_same_key_twice_in_a_file_is_refused_naming_both_lines(org, tmp_path):
    rows = [ROWS[0], ROWS[1], ROWS[0].replace("Custody-One", "Custody-Again"), ROWS[1]]
    status, report = run(csv_file(tmp_path, *rows))
    assert status == 1
    assert [(e["line"], e["column"]) for e in report["errors"]] == [(4, "prison_number"), (5, "crn")]
    assert "line 2" in report["errors"][0]["message"]
    assert "line 3" in report["errors"][1]["message"]


def test_dry_run_reports_and_writes_nothing(org, tmp_path):
    status, report = run(csv_file(tmp_path, *ROWS), "--dry-run")
    assert (status, report) == (0, {"created": 3, "updated": 0, "unchanged": 0})
    assert not Person.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("content", "line", "column", "words"),
    [
        (
            (HEADER + "\n" + ROWS[0] + "\nA2222AA,,Test,Caf\xe9,1990-01-31,sentenced,NGT,,,,\n").encode("latin-1"),
            3,
            "",
            "UTF-8",
        ),
        (b"", 1, "", "empty"),
        ((HEADER.replace("unit_code,", "") + "\n").encode(), 1, "unit_code", "needs a column"),
        ((HEADER + ",shoe_size\n").encode(), 1, "shoe_size", "do not know the column"),
        ((HEADER.replace("prison_number,crn,", "") + "\n").encode(), 1, "prison_number", "prison_number column"),
        ((HEADER + ",phone\n").encode(), 1, "phone", "twice"),
    ],
    ids=["not-utf8", "empty", "missing-column", "unknown-column", "no-key-column", "repeated-column"],
)
def test_files_that_cannot_be_read_are_refused_in_plain_words(org, tmp_path, content, line, column, words):
    path = tmp_path / "people.csv"
    path.write_bytes(content)
    status, report = run(str(path))
    assert status == 1
    assert [(e["line"], e["column"]) for e in report["errors"]] == [(line, column)]
    assert words in report["errors"][0]["message"]


def test_a_file_that_is_not_there_is_reported_the_same_way(org, tmp_path):
    status, report = run(str(tmp_path / "missing.csv"))
    assert status == 1
    assert [(e["line"], e["column"]) for e in report["errors"]] == [(None, "")]


def test_a_byte_order_mark_from_excel_is_fine(org, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(("\ufeff" + HEADER + "\r\n" + ROWS[0] + "\r\n").encode("utf-8"))
    assert run(str(path)) == (0, {"created": 1, "updated": 0, "unchanged": 0})


def test_a_file_over_the_size_limit_is_refused(org, tmp_path, settings):
    settings.PEOPLE_IMPORT_MAX_BYTES = 100
    status, report = run(csv_file(tmp_path, *ROWS))
    assert status == 1
    assert report["errors"][0]["line"] is None
    assert "too big" in report["errors"][0]["message"]


def test_line_numbers_count_lines_in_the_file_even_inside_quoted_cells(org, tmp_path):
    rows = [
        'A1111AA,,Test,"Two\nLines",1990-13-31,sentenced,NGT,,,,',  # lines 2-3, no 13th month
        "",  # line 4, blank: skipped
        "B2222BB,,Test,Bad,1990-01-31,sentenced,NOWHERE,,,,",  # line 5
    ]
    status, report = run(csv_file(tmp_path, *rows))
    assert status == 1
    assert {(e["line"], e["column"]) for e in report["errors"]} == {(2, "date_of_birth"), (5, "unit_code")}


def test_staff_import_only_within_the_units_their_role_covers(org, make_staff):
    senior = make_staff(Role.SENIOR, org["pdu_n"])
    senior.is_verified = lambda: True  # second factor, as a signed-in request would have it
    elsewhere = CommunityPersonFactory(crn="X999999", unit=org["office_s"], last_name="Southern")
    content = "\n".join(
        [
            HEADER,
            ",X111111,Test,Mine,1985-06-15,licence,OFF-N,,,,",  # line 2: their PDU's office
            ",X222222,Test,Not-Mine,1985-06-15,licence,OFF-S,,,,",  # line 3: another PDU
            ",X999999,Test,Moved-North,1985-06-15,licence,OFF-N,,,,",  # line 4: someone from another PDU
        ]
    ).encode()
    report = people_import_csv(actor=senior, content=content, description="test")
    assert [(e.line, e.column) for e in report.errors] == [(3, "unit_code"), (4, "crn")]
    assert not Person.objects.filter(last_name__in=["Mine", "Not-Mine"]).exists()
    elsewhere.refresh_from_db()
    assert elsewhere.last_name == "Southern"


def test_practitioners_may_not_import(org, make_staff):
    from django.core.exceptions import PermissionDenied

    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    with pytest.raises(PermissionDenied):
        people_import_csv(actor=practitioner, content=(HEADER + "\n").encode(), description="test")


def _rows(count: int, start: int = 0) -> str:
    return "\n".join(
        [HEADER]
        + [
            f",X{start + n:06d},Test,Person-{_letters(n)},1980-01-01,licence,OFF-N,{n} Test Street,Leeds,LS1 4AP,"
            for n in range(count)
        ]
    )


@pytest.mark.parametrize("dry_run", [True, False])
def test_queries_grow_with_chunks_not_rows(org, monkeypatch, dry_run):
    monkeypatch.setattr(imports, "IMPORT_CHUNK_ROWS", 50)
    counts = []
    for batch, rows in enumerate((100, 200, 300)):
        with CaptureQueriesContext(connection) as queries:
            report = people_import_csv(
                actor=imports_actor(),
                content=_rows(rows, start=batch * 1000).encode(),
                description="t",
                dry_run=dry_run,
            )
        assert report.ok
        assert report.created == rows
        counts.append(len(queries))
    # Each further 100 rows costs a few queries (two chunks of lookups; inserts in the database's batches),
    # never one a row: checking alone costs exactly the same per chunk.
    growth = [counts[1] - counts[0], counts[2] - counts[1]]
    assert max(growth) <= 10
    if dry_run:
        assert growth[0] == growth[1]


def _letters(n: int) -> str:
    """A number written in letters (names may not have digits): 0 -> "a", 27 -> "bb"."""
    word = ""
    while True:
        word = chr(ord("a") + n % 26) + word
        n = n // 26 - 1
        if n < 0:
            return word


def imports_actor() -> Any:
    from onward.core.actors import SystemActor

    return SystemActor("test_import")


def test_key_dates_and_language_are_imported(org, tmp_path):
    header = (
        "crn,first_name,last_name,date_of_birth,status,unit_code,language,"
        "release_date,licence_end_date,hdc_eligibility_date"
    )
    row = "X123123,Test,Dates,1980-01-01,licence,OFF-N,cy,2026-01-10,2027-01-09,2025-10-01"
    status, _report = run(csv_file(tmp_path, row, header=header))
    assert status == 0
    person = Person.objects.get(crn="X123123")
    assert person.preferred_language == "cy"
    assert (person.release_date, person.licence_expiry_date, person.hdc_eligibility_date) == (
        dt.date(2026, 1, 10),
        dt.date(2027, 1, 9),
        dt.date(2025, 10, 1),
    )


def test_a_status_change_that_needs_its_own_step_is_refused(org, tmp_path):
    PersonFactory(prison_number="H8888HH", unit=org["wing_a"])
    status, report = run(csv_file(tmp_path, "H8888HH,,Test,Released,1980-01-01,licence,OFF-N,,,,"))
    assert status == 1
    assert [(e["line"], e["column"]) for e in report["errors"]] == [(2, "status")]
    assert "Record release" in report["errors"][0]["message"]


def test_a_new_unit_is_a_transfer_the_apps_above_hear_of(org, tmp_path, monkeypatch):
    from onward.core import events
    from onward.people.events import PersonTransferred

    heard = []
    monkeypatch.setitem(events._SUBSCRIBERS, PersonTransferred, [heard.append])
    moved = CommunityPersonFactory(crn="X444444", unit=org["office_n"])
    status, _report = run(csv_file(tmp_path, ",X444444,,,,,OFF-N2,,,,"))
    assert status == 0
    assert [(e.person.pk, e.from_unit, e.to_unit) for e in heard] == [(moved.pk, org["office_n"], org["office_n2"])]
    event = AuditEvent.objects.get(action="person.updated")
    assert event.data["before"] == {"unit": {"id": org["office_n"].pk, "code": "OFF-N"}}


def test_a_phone_number_replaced_by_an_import_ends_every_session_and_device(org, tmp_path):
    from onward.accounts.models import DeviceToken
    from onward.accounts.services import device_token_create, person_account_ensure

    run(csv_file(tmp_path, *ROWS))
    person = Person.objects.get(crn="X111111")
    device_token_create(actor=person_account_ensure(person), name="Synthetic phone")
    changed = ROWS[1].replace("07700900111", "07700900999")
    run(csv_file(tmp_path, ROWS[0], changed, ROWS[2], name="second.csv"))
    assert not DeviceToken.objects.filter(user__person=person, revoked_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="account.access_ended", person=person).count() == 1


def test_a_large_import_refreshes_the_planner_statistics_and_a_small_one_does_not(org, tmp_path, monkeypatch):
    refreshed: list[bool] = []
    monkeypatch.setattr(imports, "database_statistics_refresh", lambda: refreshed.append(True))
    monkeypatch.setattr(imports, "STATISTICS_REFRESH_ROWS", 3)
    run(csv_file(tmp_path, *ROWS[:2], name="two.csv"))
    assert refreshed == []
    run(
        csv_file(
            tmp_path,
            *ROWS[2:],
            ROWS[0].replace("A1111AA", "C3333CC").replace("One", "Four"),
            "D4444DD,,Test,Custody-Five,1991-02-02,sentenced,NGT,,,,",
            name="three.csv",
        )
    )
    assert refreshed == [True]
