"""Reports for managers: the page with every figure as a chart and a table, and a CSV per figure.

Thin: the picker, then `report_build` (which checks the unit against the policy and audits the read).
"""

import csv
from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from onward.core.audit_actions import AuditAction
from onward.core.permissions import permission
from onward.organisations.models import OrgUnit
from onward.reports.forms import ReportForm
from onward.reports.months import month_key
from onward.reports.rules import report_units
from onward.reports.selectors import Report, report_build

COSTS_CSV = "costs"
# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@permission("report.view")
def report_page(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.GET or None, units=list(report_units(request.user)))
    report = None
    if form.is_valid():
        unit, first, last = form.chosen()
        report = report_build(
            request.user, unit=unit, first_month=first, last_month=last, purpose=AuditAction.REPORT_VIEWED
        )
    query = request.GET.urlencode() if report is None else _query(report)
    return render(
        request,
        "reports/report.html",
        {"form": form, "report": report, "query": query},
        status=400 if form.errors else 200,
    )


@permission("report.view")
def report_csv(request: HttpRequest, code: str) -> HttpResponse:
    form = ReportForm(request.GET or None, units=list(report_units(request.user)))
    if not form.is_valid():
        return HttpResponse(status=400)
    unit, first, last = form.chosen()
    report = report_build(
        request.user, unit=unit, first_month=first, last_month=last, purpose=AuditAction.REPORT_DOWNLOADED
    )
    rows = _cost_rows(report) if code == COSTS_CSV else _figure_rows(report, code)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(unit, code, first, last)}"'
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return response


def _figure_rows(report: Report, code: str) -> list[list[object]]:
    table = next((t for t in report.tables if t.code == code), None)
    if table is None:
        raise Http404
    rows: list[list[object]] = [["Unit", table.row_header, *table.columns]]
    for label, values in table.rows:
        rows.append([report.unit.name, label, *["" if v is None else _plain(v) for v in values]])
    return rows


def _cost_rows(report: Report) -> list[list[object]]:
    rows: list[list[object]] = [["Kind", "Pence per day", "Valid from", "Source", "Link", "Checked against the source"]]
    for cost in report.cost_history:
        rows.append(
            [
                cost.label,
                cost.pence_per_day,
                cost.valid_from.isoformat(),
                cost.source_title,
                cost.source_url,
                "yes" if cost.confirmed else "no: check by hand",
            ]
        )
    return rows


def _plain(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 1)


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _filename(unit: OrgUnit, code: str, first: date, last: date) -> str:
    safe = "".join(ch if ch.isalnum() or ch == "-" else "-" for ch in unit.code)
    return f"onward-{code}-{safe}-{month_key(first)}-to-{month_key(last)}.csv"


def _query(report: Report) -> str:
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    query.update(
        {
            "unit": str(report.unit.pk),
            "date_from": month_key(report.first_month),
            "date_to": month_key(report.last_month),
        }
    )
    return query.urlencode()
