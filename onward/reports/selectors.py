"""The reports a manager reads: every figure for a unit (and everything below it) over a range of months,
added up from the monthly rollup in one query, with the published unit costs beside them.

Reading a report is audited (which unit, which months, page, CSV or API).
"""

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from markupsafe import Markup

from onward.audit.services import audit_record
from onward.core.audit_actions import AuditAction
from onward.core.permissions import require
from onward.organisations.models import OrgUnit
from onward.reports.charts import bar_chart, line_chart
from onward.reports.figures import (
    BY_VERSION,
    TURNAROUND,
    VERSION_SEPARATOR,
    Figure,
    figures,
)
from onward.reports.models import CostKind, MonthlyFigure, RollupRun, UnitCost
from onward.reports.months import month_add, month_key, months_between
from onward.reports.rules import report_role_for

Value = float | None
COST_SHORT_LABELS: dict[str, Any] = {
    CostKind.SUPERVISION: _lazy("Supervision"),
    CostKind.TAG: _lazy("Tag"),
    CostKind.CUSTODY: _lazy("Custody"),
}
# (figure, month, series, bucket) -> the sum over the unit and every unit below it
Totals = dict[tuple[str, date, str, int], int]


@dataclass(frozen=True)
class FigureTable:
    code: str
    group: str
    title: str
    description: str
    row_header: str
    columns: list[str]
    rows: list[tuple[str, list[Value]]]
    chart: Markup


@dataclass(frozen=True)
class CostRow:
    kind: str
    label: str
    pence_per_day: int
    valid_from: date
    source_title: str
    source_url: str
    confirmed: bool
    note: str

    @property
    def pounds_per_day(self) -> str:
        return f"£{self.pence_per_day / 100:,.2f}"


@dataclass(frozen=True)
class Report:
    unit: OrgUnit
    first_month: date
    last_month: date
    tables: list[FigureTable]
    costs: list[CostRow]  # in force on the last day of the range, one per kind that has one
    cost_chart: Markup | None
    cost_history: list[CostRow]
    figures_up_to: datetime | None


def report_build(user: Any, *, unit: OrgUnit, first_month: date, last_month: date, purpose: AuditAction) -> Report:
    """Every figure for this unit and months, checked against the policy and audited as `purpose`."""
    require(user, "report.view", unit)
    totals = rollup_totals(unit, first_month, last_month)
    months = months_between(first_month, last_month)
    costs, history = unit_costs_in_force(last_month)
    run = RollupRun.objects.order_by("-finished_at").first()
    audit_record(
        actor=user,
        role=report_role_for(user, unit) or "",
        action=purpose,
        target=unit,
        data={"unit": unit.code, "from": month_key(first_month), "to": month_key(last_month)},
    )
    return Report(
        unit=unit,
        first_month=first_month,
        last_month=last_month,
        tables=[figure_table(fig, totals, months) for fig in figures()],
        costs=costs,
        cost_chart=_cost_chart(costs),
        cost_history=history,
        figures_up_to=run.finished_at if run else None,
    )


def rollup_totals(unit: OrgUnit, first_month: date, last_month: date) -> Totals:
    """One query: every figure's counts, added up over the unit and every unit below it."""
    rows = (
        MonthlyFigure.objects.filter(unit__path__startswith=unit.path, month__gte=first_month, month__lte=last_month)
        .values_list("figure", "month", "series", "bucket")
        .annotate(total=Sum("value"))
        .order_by()
    )
    return {(code, month, series, bucket): int(total) for code, month, series, bucket, total in rows}


def figure_table(fig: Figure, totals: Totals, months: list[date]) -> FigureTable:
    """The figure's numbers as a table (for screen readers and CSV) and the chart drawn from them."""
    mine = {key[1:]: value for key, value in totals.items() if key[0] == fig.code}
    columns = [str(column.label) for column in fig.columns]
    labels = [date_format(month, "M Y") for month in months]
    title, description = str(fig.title), str(fig.description)
    if fig.layout == TURNAROUND:
        rows = [(label, _turnaround(mine, month)) for label, month in zip(labels, months, strict=True)]
        chart = line_chart(
            chart_id=f"chart-{fig.code}",
            title=title,
            description=description,
            categories=labels,
            series=[(columns[1], [r[1][1] for r in rows]), (columns[2], [r[1][2] for r in rows])],
        )
        return FigureTable(fig.code, str(fig.group), title, description, _("Month"), columns, rows, chart)
    if fig.layout == BY_VERSION:
        rows = _by_version(fig, mine)
        shown = [1, 2]  # false accepts and false rejects: what a manager must watch
        chart = bar_chart(
            chart_id=f"chart-{fig.code}",
            title=title,
            description=description,
            categories=[label for label, _values in rows],
            series=[(columns[i], [values[i] for _label, values in rows]) for i in shown],
        )
        return FigureTable(fig.code, str(fig.group), title, description, _("Engine and version"), columns, rows, chart)
    rows = [
        (
            label,
            [
                float(sum(v for (m, s, _b), v in mine.items() if m == month and s == column.key))
                for column in fig.columns
            ],
        )
        for label, month in zip(labels, months, strict=True)
    ]
    chart = bar_chart(
        chart_id=f"chart-{fig.code}",
        title=title,
        description=description,
        categories=labels,
        series=[(columns[i], [values[i] for _label, values in rows]) for i in range(len(columns))],
    )
    return FigureTable(fig.code, str(fig.group), title, description, _("Month"), columns, rows, chart)


def percentile(histogram: dict[int, int], percent: int) -> int | None:
    """The nearest-rank percentile of whole days: the least value with at least `percent`% at or below it."""
    count = sum(histogram.values())
    if not count:
        return None
    rank, seen = math.ceil(percent * count / 100), 0
    for days in sorted(histogram):
        seen += histogram[days]
        if seen >= rank:
            return days
    return None  # pragma: no cover (the loop always reaches the rank)


def unit_costs_in_force(on_month: date) -> tuple[list[CostRow], list[CostRow]]:
    """For each kind, the cost in force in this month (the newest valid by its end), and every cost."""
    every = [_cost_row(cost) for cost in UnitCost.objects.order_by("kind", "-valid_from")]
    after = month_add(on_month, 1)
    in_force: dict[str, CostRow] = {}
    for row in every:
        if row.valid_from < after and row.kind not in in_force:
            in_force[row.kind] = row
    order = [kind.value for kind in CostKind]
    return sorted(in_force.values(), key=lambda r: order.index(r.kind)), every


def _turnaround(mine: dict[tuple[date, str, int], int], month: date) -> list[Value]:
    histogram = {bucket: value for (m, _s, bucket), value in mine.items() if m == month}
    median, p90 = percentile(histogram, 50), percentile(histogram, 90)
    return [
        float(sum(histogram.values())),
        None if median is None else float(median),
        None if p90 is None else float(p90),
    ]


def _by_version(fig: Figure, mine: dict[tuple[date, str, int], int]) -> list[tuple[str, list[Value]]]:
    by_version: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (_month, series, _bucket), value in mine.items():
        outcome, engine, version = series.split(VERSION_SEPARATOR, 2)
        by_version[f"{engine} {version}"][outcome] += value
    return [
        (label, [float(counts.get(column.key, 0)) for column in fig.columns])
        for label, counts in sorted(by_version.items())
    ]


def _cost_row(cost: UnitCost) -> CostRow:
    return CostRow(
        kind=cost.kind,
        label=str(cost.get_kind_display()),
        pence_per_day=cost.pence_per_day,
        valid_from=cost.valid_from,
        source_title=cost.source_title,
        source_url=cost.source_url,
        confirmed=cost.confirmed,
        note=cost.note,
    )


def _cost_chart(costs: list[CostRow]) -> Markup | None:
    if not costs:
        return None
    return bar_chart(
        chart_id="chart-costs",
        title=_("Cost per person per day"),
        description=_("What one day costs for one person: supervision in the community, a tag, and custody."),
        categories=[str(COST_SHORT_LABELS[row.kind]) for row in costs],
        series=[(_("Pounds a day"), [row.pence_per_day / 100 for row in costs])],
    )
