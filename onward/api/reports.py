"""Reports for managers as JSON: the same figures as the page `/staff/reports/`, for one unit and months.

Staff only (senior practitioners and administrators), for units they hold that role at; a unit outside
their scope and one that does not exist get the same 404.
"""

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict, StringConstraints

from onward.api.auth import api_caller
from onward.api.errors import BAD_REQUEST, NOT_FOUND, UNPROCESSABLE, responses
from onward.api.permissions import permission
from onward.api.schemas import DATABASE_ID_MAX
from onward.core.audit_actions import AuditAction
from onward.reports.forms import ReportForm
from onward.reports.rules import report_units
from onward.reports.selectors import CostRow, report_build

router = Router(tags=["reports"])

Month = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}$")]


class ReportQuery(Schema):
    model_config = ConfigDict(extra="forbid")

    unit: int = Field(ge=1, le=DATABASE_ID_MAX, description="The unit: its figures include every unit below it.")
    date_from: Month = Field(description="The first month, YYYY-MM (the last 24 months are kept).")
    date_to: Month = Field(description="The last month, YYYY-MM, the same as or after the first.")


class FigureRowOut(Schema):
    label: str = Field(description="The month (or the engine and version) the values are for.")
    values: list[float | None] = Field(description="One value per column; null when there is none.")


class FigureOut(Schema):
    code: str
    group: str
    title: str
    description: str
    row_header: str
    columns: list[str]
    rows: list[FigureRowOut]


class CostOut(Schema):
    kind: str
    label: str
    pence_per_day: int
    valid_from: dt.date
    source_title: str
    source_url: str
    confirmed: bool = Field(description="False: read only in a report of the source; check it by hand.")
    note: str


class ReportOut(Schema):
    unit_id: int
    unit_name: str
    date_from: str
    date_to: str
    figures_up_to: dt.datetime | None = Field(description="When the monthly rollup was last counted.")
    figures: list[FigureOut]
    costs_in_force: list[CostOut]
    cost_history: list[CostOut]


@router.get(
    "/reports",
    response=responses({200: ReportOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Reports for a unit over a range of months",
)
@permission("report.view")
def report_get(request: HttpRequest, query: Query[ReportQuery]) -> ReportOut:
    user = api_caller(request)
    data = {"unit": str(query.unit), "date_from": query.date_from, "date_to": query.date_to}
    form = ReportForm(data, units=list(report_units(user)))
    if not form.is_valid():
        if "unit" in form.errors:
            raise HttpError(NOT_FOUND, "Not found.")
        raise HttpError(BAD_REQUEST, " ".join(str(e) for errors in form.errors.values() for e in errors))
    unit, first, last = form.chosen()
    report = report_build(user, unit=unit, first_month=first, last_month=last, purpose=AuditAction.REPORT_READ_BY_API)
    return ReportOut(
        unit_id=unit.pk,
        unit_name=unit.name,
        date_from=query.date_from,
        date_to=query.date_to,
        figures_up_to=report.figures_up_to,
        figures=[
            FigureOut(
                code=t.code,
                group=t.group,
                title=t.title,
                description=t.description,
                row_header=t.row_header,
                columns=t.columns,
                rows=[FigureRowOut(label=label, values=values) for label, values in t.rows],
            )
            for t in report.tables
        ],
        costs_in_force=[_cost(c) for c in report.costs],
        cost_history=[_cost(c) for c in report.cost_history],
    )


def _cost(cost: CostRow) -> CostOut:
    return CostOut(
        kind=cost.kind,
        label=cost.label,
        pence_per_day=cost.pence_per_day,
        valid_from=cost.valid_from,
        source_title=cost.source_title,
        source_url=cost.source_url,
        confirmed=cost.confirmed,
        note=cost.note,
    )
