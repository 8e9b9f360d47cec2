"""People in bulk: check every record a source gives, then create and update them all, or nothing.

`people_import(actor=..., source=...)` is the one service behind `manage.py people_import`, the staff
upload page and `POST /api/v1/people/import`. Each record is checked by `person_fields_clean`, the same
check as the staff form. A record is matched to a person by prison number, then by CRN: found means
update, not found means create. Empty cells mean "not known": they never clear a field. Only fields
whose value differs are written, so importing the same file twice changes nothing the second time.

A fixed number of queries per chunk of rows, whatever the file's size: units in one query, existing
people by the file's identifiers in chunks, postcodes placed from the offline data at once, and
bulk_create / bulk_update and `audit_record_many` for the writes.
"""

import hashlib
import json
import secrets
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import router, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from onward.audit.services import AuditEntry, audit_record_many
from onward.core.actors import SystemActor
from onward.core.audit_actions import AuditAction
from onward.core.bulk import bulk_insert
from onward.core.database import database_statistics_refresh
from onward.core.events import announce
from onward.core.permissions import require
from onward.location.postcodes import postcodes_locate
from onward.organisations.models import OrgUnit, UnitKind
from onward.people.events import PersonContactChanged, PersonTransferred
from onward.people.models import ImportUpload, Person
from onward.people.rules import import_role, import_unit_paths
from onward.people.services import _status_change_problem as status_change_problem
from onward.people.sources import IMPORT_COLUMNS, SourceProblem, SourceRecord, SourceRefused
from onward.people.sources.csv_file import CsvPersonSource
from onward.people.validation import (
    DERIVED_FIELDS,
    PERSON_FIELDS,
    TakenIdentifiers,
    person_fields_clean,
    units_by_code,
)

# How many rows are looked up or written per query.
IMPORT_CHUNK_ROWS = 500
# Where an import's column and the record's field have different names (the rest are the same).
COLUMN_FIELDS = {"unit_code": "unit", "language": "preferred_language", "licence_end_date": "licence_expiry_date"}
FIELD_COLUMNS = {name: column for column, name in COLUMN_FIELDS.items()}
STORED_FIELDS = (*PERSON_FIELDS, *DERIVED_FIELDS)
# A new phone number or email is not the person's until they show it is (a code sent to it).
CONTACT_VERIFIED_FIELDS = {"phone": "phone_verified_at", "email": "email_verified_at"}
SYSTEM_ROLE = "system"
PREVIEW_CHANGES_SHOWN = 100


@dataclass(frozen=True)
class ImportProblem:
    """One thing to fix: the line (None: the whole file), the column, and what is wrong in plain words."""

    line: int | None
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "message": self.message}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[ImportProblem] = field(default_factory=list)
    dry_run: bool = False
    digest: str = ""  # of what would be written: a confirmation imports only what was previewed
    # The first few people who would be created or updated, for a preview: line, kind, reference, name, columns.
    changes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        """The report as the command prints it and the API answers it."""
        if self.errors:
            return {"errors": [problem.as_dict() for problem in self.errors]}
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


@dataclass
class PlannedPerson:
    """One person the import would write: a new (unsaved) record, or an existing one with its changes."""

    line: int
    person: Person
    changed: list[str]
    before: dict[str, Any]
    from_unit: OrgUnit | None = None  # for an update that moves them: where they were


@dataclass
class ImportPlan:
    creates: list[PlannedPerson] = field(default_factory=list)
    updates: list[PlannedPerson] = field(default_factory=list)
    unchanged: int = 0
    errors: list[ImportProblem] = field(default_factory=list)

    def digest(self) -> str:
        """A fingerprint of every write the plan would make, in order."""
        hasher = hashlib.sha256()
        for kind, planned in (("create", self.creates), ("update", self.updates)):
            for entry in planned:
                values = {name: _audit_value(getattr(entry.person, name)) for name in entry.changed}
                line = json.dumps([kind, entry.line, entry.person.pk, values], cls=DjangoJSONEncoder, sort_keys=True)
                hasher.update(line.encode())
        return hasher.hexdigest()

    def preview(self, shown: int = PREVIEW_CHANGES_SHOWN) -> list[dict[str, Any]]:
        """The first `shown` creations and updates, by line, as a preview lists them."""
        entries = [("create", planned) for planned in self.creates[:shown]]
        entries += [("update", planned) for planned in self.updates[:shown]]
        entries.sort(key=lambda entry: entry[1].line)
        return [
            {
                "line": planned.line,
                "kind": kind,
                "reference": planned.person.reference,
                "name": planned.person.full_name,
                "columns": sorted({FIELD_COLUMNS.get(name, name) for name in planned.changed} & set(IMPORT_COLUMNS)),
            }
            for kind, planned in entries[:shown]
        ]


class ImportPlanChanged(Exception):
    """The records changed between the preview and the confirmation: the new report is attached."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__("The import would now write something other than was previewed.")
        self.report = report


# An import that writes at least this many people refreshes the database's planner statistics.
STATISTICS_REFRESH_ROWS = 1000


def people_import(
    *,
    actor: Any,
    source: Any,
    dry_run: bool = False,
    expected_digest: str = "",
    today: date | None = None,
) -> ImportReport:
    """Check every record of `source` (a PersonSource) and, unless `dry_run` or any record is wrong, write them.

    Staff need `person.import` (administrators and seniors), and every row must be for a unit their role
    covers, as must the record it changes. A system actor (the command line) covers every unit.
    `expected_digest` (from a preview's report) refuses with ImportPlanChanged when what would be written
    is no longer what was previewed. One transaction: every person, and their audit events, or nothing.
    """
    scope = _scope(actor)
    with transaction.atomic():
        plan = import_plan(source, scope=scope, lock=not dry_run, today=today)
        report = ImportReport(
            created=len(plan.creates),
            updated=len(plan.updates),
            unchanged=plan.unchanged,
            errors=plan.errors,
            dry_run=dry_run,
            digest=plan.digest() if not plan.errors else "",
            changes=plan.preview() if not plan.errors else [],
        )
        if plan.errors or dry_run:
            return report
        if expected_digest and expected_digest != report.digest:
            raise ImportPlanChanged(report)
        if not plan.creates and not plan.updates:
            return report  # the same file again: nothing to write, nothing to audit
        _write(plan, actor=actor, role=_role(actor), description=str(getattr(source, "description", "")))
    if len(plan.creates) + len(plan.updates) >= STATISTICS_REFRESH_ROWS:
        database_statistics_refresh()  # so lists of these people are read by the right index at once
    return report


def people_import_csv(
    *, actor: Any, content: bytes, description: str, dry_run: bool = False, expected_digest: str = ""
) -> ImportReport:
    """`people_import` of a CSV file's bytes, with the size limit from settings."""
    source = CsvPersonSource(content, description=description, max_bytes=settings.PEOPLE_IMPORT_MAX_BYTES)
    return people_import(actor=actor, source=source, dry_run=dry_run, expected_digest=expected_digest)


def import_plan(
    source: Any, *, scope: Sequence[str] | None, lock: bool = False, today: date | None = None
) -> ImportPlan:
    """What importing `source` would do, and every problem with it. Reads only; writes nothing.

    `scope`: the unit paths the actor covers (None: every unit). `lock`: lock the matched records
    until the transaction ends (the write path), so nobody changes them between the check and the write.
    """
    plan = ImportPlan()
    try:
        records = list(source.records())
    except SourceRefused as refused:
        plan.errors = [_problem(problem) for problem in refused.problems]
        return plan
    rows = _keyed_rows(records, plan.errors)
    units = units_by_code(r.values.get("unit_code", "") for r in records if r.values.get("unit_code"))
    places = postcodes_locate({_squash(r.values["postcode"]) for r in records if r.values.get("postcode")})
    existing = _existing_people(rows, lock=lock)
    taken = TakenIdentifiers(
        {p.prison_number: p.pk for p in existing.values() if p.prison_number},
        {p.crn: p.pk for p in existing.values() if p.crn},
    )
    by_prison_number = {p.prison_number: p for p in existing.values() if p.prison_number}
    by_crn = {p.crn: p for p in existing.values() if p.crn}
    matched_on_line: dict[int, int] = {}
    for row in rows:
        person = by_prison_number.get(row.prison_number) if row.prison_number else None
        if person is None and row.crn:
            person = by_crn.get(row.crn)
        if person is not None:
            earlier = matched_on_line.setdefault(person.pk, row.record.line)
            if earlier != row.record.line:
                column = "prison_number" if row.prison_number and person.prison_number == row.prison_number else "crn"
                plan.errors.append(
                    ImportProblem(
                        row.record.line,
                        column,
                        _("This is the same person as on line %(line)s. Put each person on one line.")
                        % {"line": earlier},
                    )
                )
                continue
        _plan_row(plan, row, person, scope=scope, taken=taken, units=units, places=places, today=today)
    plan.errors.sort(key=lambda problem: (problem.line or 0, problem.column))
    return plan


# --- Uploads kept between the preview and the confirmation (the staff page) ---------------------------


class ImportUploadGone(Exception):
    """No such upload for this person: confirmed already, expired, or someone else's."""


def import_upload_check(*, actor: Any, content: bytes, file_name: str) -> tuple[ImportReport, ImportUpload | None]:
    """Check an uploaded file without writing. If it would import cleanly, keep it for its uploader to confirm.

    The file is kept for PEOPLE_IMPORT_PREVIEW_MINUTES under a random key; expired uploads go now and
    by the retention job.
    """
    report = people_import_csv(actor=actor, content=content, description=_upload_description(file_name), dry_run=True)
    if not report.ok:
        return report, None
    now = timezone.now()
    with transaction.atomic():
        import_uploads_expire(now)
        upload = ImportUpload.objects.create(
            key=secrets.token_urlsafe(32),
            uploaded_by=actor,
            file_name=file_name[:255],
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
            report=_stored_report(report),
            created_at=now,
            expires_at=now + timedelta(minutes=settings.PEOPLE_IMPORT_PREVIEW_MINUTES),
        )
    return report, upload


def import_upload_get(actor: Any, key: str) -> ImportUpload:
    """The actor's own upload waiting for confirmation, or ImportUploadGone."""
    require(actor, "person.import")
    upload = ImportUpload.objects.filter(key=key, uploaded_by=actor, expires_at__gt=timezone.now()).first()
    if upload is None:
        raise ImportUploadGone(key)
    return upload


def import_upload_confirm(*, actor: Any, key: str) -> ImportReport:
    """Import exactly the file that was previewed, if it would still write what the preview showed.

    Raises ImportPlanChanged (with the new report, now the upload's) when the records changed since the
    preview; the uploader looks again and confirms again. Otherwise the upload is deleted: imported, or
    refused with the errors found now.
    """
    upload = import_upload_get(actor, key)
    content = bytes(upload.content)
    if hashlib.sha256(content).hexdigest() != upload.sha256:
        raise ImportUploadGone(key)
    try:
        with transaction.atomic():
            report = people_import_csv(
                actor=actor,
                content=content,
                description=_upload_description(upload.file_name),
                expected_digest=str(upload.report.get("digest", "")),
            )
            ImportUpload.objects.filter(pk=upload.pk).delete()
    except ImportPlanChanged as changed:
        # Nothing was imported; the upload now carries what the import would do, to be looked at again.
        ImportUpload.objects.filter(pk=upload.pk).update(report=_stored_report(changed.report))
        raise
    return report


def import_uploads_expire(now: datetime) -> int:
    """Delete uploads whose time to be confirmed has passed. Returns how many."""
    deleted, _by_model = ImportUpload.objects.filter(expires_at__lte=now).delete()
    return deleted


def _stored_report(report: ImportReport) -> dict[str, Any]:
    return {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "digest": report.digest,
        "changes": report.changes,
    }


def _upload_description(file_name: str) -> str:
    return f"{file_name[:100]} (upload)"


# --- helpers ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    record: SourceRecord
    prison_number: str
    crn: str


def _scope(actor: Any) -> list[str] | None:
    if isinstance(actor, SystemActor):
        return None
    require(actor, "person.import")
    return import_unit_paths(actor)


def _role(actor: Any) -> str:
    return SYSTEM_ROLE if isinstance(actor, SystemActor) else import_role(actor)


def _keyed_rows(records: list[SourceRecord], errors: list[ImportProblem]) -> list[_Row]:
    """Rows with their identifiers tidied; a row whose identifier is on an earlier line is an error, not a row."""
    rows: list[_Row] = []
    first_line: dict[tuple[str, str], int] = {}
    for record in records:
        errors.extend(_problem(problem) for problem in record.problems)
        row = _Row(record, _squash(record.values.get("prison_number", "")), _squash(record.values.get("crn", "")))
        repeated = False
        for column, value in (("prison_number", row.prison_number), ("crn", row.crn)):
            if not value:
                continue
            earlier = first_line.setdefault((column, value), record.line)
            if earlier != record.line:
                repeated = True
                errors.append(
                    ImportProblem(
                        record.line,
                        column,
                        _("%(value)s is also on line %(line)s. Put each person on one line.")
                        % {"value": value, "line": earlier},
                    )
                )
        if not repeated:
            rows.append(row)
    return rows


def _existing_people(rows: list[_Row], *, lock: bool) -> dict[int, Person]:
    """Everyone the file's prison numbers or CRNs already name, in chunks, with their units."""
    found: dict[int, Person] = {}
    for column in ("prison_number", "crn"):
        values = sorted({getattr(row, column) for row in rows if getattr(row, column)})
        for chunk in _chunks(values, IMPORT_CHUNK_ROWS):
            people: QuerySet[Person] = Person.objects.select_related("unit").filter(**{f"{column}__in": chunk})
            if lock:
                people = people.select_for_update()
            for person in people:
                found.setdefault(person.pk, person)
    return found


def _plan_row(
    plan: ImportPlan,
    row: _Row,
    person: Person | None,
    *,
    scope: Sequence[str] | None,
    taken: TakenIdentifiers,
    units: Mapping[str, OrgUnit],
    places: Mapping[str, Any],
    today: date | None,
) -> None:
    line = row.record.line
    if person is not None and not _covers(scope, person.unit):
        column = "prison_number" if row.prison_number and row.prison_number == person.prison_number else "crn"
        plan.errors.append(
            ImportProblem(line, column, _("This person's record is outside the units you cover. You cannot change it."))
        )
        return
    raw = _raw_fields(row.record.values, person, units)
    check = person_fields_clean(raw, current=person, taken=taken, units=units, places=places, today=today)
    if not check.ok:
        plan.errors.extend(ImportProblem(line, FIELD_COLUMNS.get(e.field, e.field), e.message) for e in check.errors)
        return
    values = check.values
    unit = values["unit"]
    if not _covers(scope, unit):
        plan.errors.append(
            ImportProblem(
                line,
                "unit_code",
                _("%(unit)s is outside the units you cover. You can only import people for your own units.")
                % {"unit": unit.code},
            )
        )
        return
    if person is None:
        new = Person(**{name: values[name] for name in STORED_FIELDS if name in values})
        plan.creates.append(PlannedPerson(line, new, _filled(values), {}))
        return
    current = _stored_values(person)
    changed = [name for name in STORED_FIELDS if values[name] != current[name]]
    if not changed:
        plan.unchanged += 1
        return
    # The same rule as editing by hand: release and the end of supervision have their own steps.
    problem = status_change_problem(current["status"], values["status"])
    if problem:
        plan.errors.append(ImportProblem(line, "status", problem))
        return
    before = {name: current[name] for name in changed}
    for name in changed:
        setattr(person, name, values[name])
    for contact, verified_at in CONTACT_VERIFIED_FIELDS.items():
        if contact in changed and getattr(person, verified_at) is not None:
            before[verified_at] = getattr(person, verified_at)
            setattr(person, verified_at, None)
            changed.append(verified_at)
    plan.updates.append(PlannedPerson(line, person, changed, before, from_unit=current["unit"]))


def _raw_fields(values: Mapping[str, str], person: Person | None, units: Mapping[str, OrgUnit]) -> dict[str, Any]:
    """The record's values under the check's field names. For an update, empty cells are left out (not known)."""
    raw: dict[str, Any] = {}
    for column, value in values.items():
        if person is not None and not value:
            continue
        raw[COLUMN_FIELDS.get(column, column)] = value
    if person is not None and raw.get("unit"):
        named = units.get(str(raw["unit"]).strip().upper())
        # A file that names the prison keeps someone on the wing of that prison where they are.
        if named is not None and named.kind == UnitKind.PRISON and person.unit.parent_id == named.pk:
            raw["unit"] = person.unit
    return raw


def _stored_values(person: Person) -> dict[str, Any]:
    values = {name: getattr(person, name) for name in STORED_FIELDS if name != "unit"}
    values["unit"] = person.unit
    values["prison_number"] = values["prison_number"] or None
    values["crn"] = values["crn"] or None
    return values


def _filled(values: Mapping[str, Any]) -> list[str]:
    return [name for name in STORED_FIELDS if values.get(name) not in (None, "")]


def _write(plan: ImportPlan, *, actor: Any, role: str, description: str) -> None:
    now = timezone.now()
    new_people = [planned.person for planned in plan.creates]
    for person in new_people:
        person.created_at = person.updated_at = now
    bulk_insert(Person, new_people)
    _read_back_ids(new_people)
    by_fields: dict[tuple[str, ...], list[Person]] = {}
    for planned in plan.updates:
        planned.person.updated_at = now
        by_fields.setdefault(tuple(sorted(planned.changed)), []).append(planned.person)
    for names, people in by_fields.items():
        Person.objects.bulk_update(people, [*names, "updated_at"], batch_size=IMPORT_CHUNK_ROWS)
    audit_record_many(actor=actor, role=role, entries=list(_audit_entries(plan, description)))
    for planned in plan.updates:
        # A phone or email replaced, as when edited by hand: whoever signed in by the old one signs in again.
        contacts = tuple(name for name in ("phone", "email") if name in planned.changed and planned.before.get(name))
        if contacts:
            announce(PersonContactChanged(person=planned.person, actor=actor, fields=contacts))
        # A new unit is a transfer, as when edited by hand: the apps above may react.
        if "unit" in planned.changed and planned.from_unit is not None:
            announce(
                PersonTransferred(
                    person=planned.person, actor=actor, from_unit=planned.from_unit, to_unit=planned.person.unit
                )
            )


def _read_back_ids(people: list[Person]) -> None:
    """Give freshly inserted people their ids, found by prison number, else CRN, a chunk at a time."""
    for column in ("prison_number", "crn"):
        waiting = {getattr(p, column): p for p in people if p.pk is None and getattr(p, column)}
        for chunk in _chunks(sorted(waiting), IMPORT_CHUNK_ROWS):
            for value, pk in Person.objects.filter(**{f"{column}__in": chunk}).values_list(column, "pk"):
                person = waiting[value]
                person.pk = pk
                person._state.adding = False
                person._state.db = router.db_for_write(Person)


def _audit_entries(plan: ImportPlan, description: str) -> Iterator[AuditEntry]:
    for planned in plan.creates:
        yield AuditEntry(
            audit_action=AuditAction.PERSON_CREATED,
            person=planned.person,
            target=planned.person,
            data={
                "source": description,
                "line": planned.line,
                "after": {name: _audit_value(getattr(planned.person, name)) for name in planned.changed},
            },
        )
    for planned in plan.updates:
        yield AuditEntry(
            audit_action=AuditAction.PERSON_UPDATED,
            person=planned.person,
            target=planned.person,
            data={
                "source": description,
                "line": planned.line,
                "before": {name: _audit_value(planned.before.get(name)) for name in planned.changed},
                "after": {name: _audit_value(getattr(planned.person, name)) for name in planned.changed},
            },
        )
    yield AuditEntry(
        audit_action=AuditAction.PERSON_IMPORT_COMPLETED,
        data={
            "source": description,
            "created": len(plan.creates),
            "updated": len(plan.updates),
            "unchanged": plan.unchanged,
        },
    )


def _audit_value(value: Any) -> Any:
    """A value as the audit trail keeps it: a unit by its id and code, dates as text."""
    if isinstance(value, OrgUnit):
        return {"id": value.pk, "code": value.code}
    return value


def _covers(scope: Sequence[str] | None, unit: OrgUnit) -> bool:
    return scope is None or any(unit.path.startswith(path) for path in scope)


def _problem(problem: SourceProblem) -> ImportProblem:
    return ImportProblem(problem.line, problem.column, problem.message)


def _squash(text: str) -> str:
    return "".join(str(text).split()).upper()


def _chunks(values: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
