"""The one write of the reports: rebuilding the monthly rollup from the other apps' tables (a job).

Every figure's count function runs once (one aggregate query each) over the months it covers; the rows
replace that span of the rollup in one transaction, so the page never sees half a rebuild.
"""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from onward.reports.figures import figures
from onward.reports.models import MonthlyFigure, RollupRun
from onward.reports.months import month_add, month_start

# Each run recounts the current month and the ones before it, so later changes (a review, a request
# closed, attendance recorded late) reach the figures; the first run counts the whole history.
REPORTS_REFRESH_MONTHS = 3
REPORTS_HISTORY_MONTHS = 24
ROLLUP_BATCH_SIZE = 2000


def reports_refresh(now: datetime | None = None) -> dict[str, Any]:
    """Recount every figure for the recent months (all of the history on the first run)."""
    now = now or timezone.now()
    this_month = month_start(timezone.localdate(now))
    first_run = not RollupRun.objects.exists()
    back = REPORTS_HISTORY_MONTHS if first_run else REPORTS_REFRESH_MONTHS
    start, end = month_add(this_month, 1 - back), month_add(this_month, 1)
    rows = [
        MonthlyFigure(figure=fig.code, unit_id=unit_id, month=month, series=series, bucket=bucket, value=value)
        for fig in figures()
        for unit_id, month, series, bucket, value in fig.count(start, end)
    ]
    with transaction.atomic():
        MonthlyFigure.objects.filter(month__gte=start).delete()
        MonthlyFigure.objects.filter(month__lt=month_add(this_month, 1 - REPORTS_HISTORY_MONTHS)).delete()
        MonthlyFigure.objects.bulk_create(rows, batch_size=ROLLUP_BATCH_SIZE)
        RollupRun.objects.all().delete()
        RollupRun.objects.create(finished_at=now, from_month=start, rows=len(rows))
    return {"from_month": start.isoformat(), "rows": len(rows)}
