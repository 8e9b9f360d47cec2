"""Keeping the database's query planner informed.

SQLite chooses between indexes by the statistics `ANALYZE` leaves in `sqlite_stat1`, and gathers none
by itself: without them it guesses, and for a senior practitioner's caseload of 5,000 people sorted by
name it guessed a plan that gathers and sorts every row instead of walking the name index (62 ms
instead of 0.3 ms, measured with EXPLAIN QUERY PLAN in bench-size data). So the scheduler refreshes
them every hour, and a bulk import refreshes them when it has changed many rows. `analysis_limit`
makes SQLite sample each index instead of reading all of it, so a refresh of 250,000 people takes
milliseconds. PostgreSQL's autovacuum keeps its own statistics; nothing is done there.
"""

from typing import Any

from django.db import connections

# Rows sampled per index (SQLite's suggested range is 100 to 1000).
ANALYSIS_LIMIT = 1000


def database_statistics_refresh(using: str = "default") -> dict[str, Any]:
    """Refresh the planner's statistics on SQLite; report what was done."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return {"vendor": connection.vendor, "refreshed": False}
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
    return {"vendor": connection.vendor, "refreshed": True}
