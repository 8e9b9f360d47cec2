"""People in bulk: POST /people/import, the same import and the same report as manage.py people_import."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from onward.api.auth import api_caller
from onward.api.errors import UNPROCESSABLE, FieldErrorOut, ValidationErrorOut, responses
from onward.api.permissions import permission
from onward.people.imports import people_import_csv

router = Router()


class ImportCountsOut(Schema):
    created: int
    updated: int
    unchanged: int


class ImportProblemOut(FieldErrorOut):
    """One problem in the file: its line (null: the whole file) and column, as well as the usual fields."""

    line: int | None = None
    column: str = ""


class ImportValidationErrorOut(ValidationErrorOut):
    errors: list[ImportProblemOut]  # type: ignore[assignment]  # each error says more, never less


@router.post(
    "/people/import",
    response=responses({200: ImportCountsOut}, UNPROCESSABLE) | {UNPROCESSABLE: ImportValidationErrorOut},
    tags=["staff"],
    summary="Import people from a CSV file (administrators and senior practitioners)",
)
@permission("person.import")
def people_import(request: HttpRequest, file: File[UploadedFile], dry_run: Form[bool] = False) -> Status:
    """A CSV file (multipart, field `file`), checked row by row: any bad row and nothing is imported.

    Rows are matched on prison number, then CRN; every row must be for a unit the caller's role covers.
    `dry_run` checks and counts without writing. 200: counts. 422: every problem, each with its line
    (as a person counts lines in the file, the header is line 1; null for the whole file) and column.
    See docs/people_import.md for the columns.
    """
    report = people_import_csv(
        actor=api_caller(request),
        content=file.read(settings.PEOPLE_IMPORT_MAX_BYTES + 1),
        description=f"{(file.name or 'file')[:100]} (API)",
        dry_run=dry_run,
    )
    if report.ok:
        return Status(200, {"created": report.created, "updated": report.updated, "unchanged": report.unchanged})
    detail = _("Nothing was imported. Fix every problem listed, then send the file again.")
    errors = [
        {
            "location": "file",
            "field": problem.column,
            "message": problem.message,
            "line": problem.line,
            "column": problem.column,
        }
        for problem in report.errors
    ]
    return Status(UNPROCESSABLE, {"detail": detail, "errors": errors})
