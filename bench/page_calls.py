"""Python function calls per request for the caseload and a person's record: a figure a busy machine does not change.

Wall-clock timings of these pages (bench/caseload.py) move with the machine's load; the number of Python calls
a request makes (counted by cProfile) does not, so two versions of the code can be compared on any machine.
The data is bench/caseload.py's first part: a senior practitioner over a delivery unit of 5,000 people.

Prints: caseload_page_calls, person_record_calls, caseload_page_cpu_ms, person_record_cpu_ms.
"""

import cProfile
import pstats
import time

from _setup import django_with_fresh_database
from caseload import senior_over_delivery_unit

PEOPLE = 5000
RUNS = 20


def main() -> None:
    django_with_fresh_database()
    from onward.people.models import Person

    client = senior_over_delivery_unit(PEOPLE)
    ids = list(Person.objects.values_list("pk", flat=True)[:RUNS])
    client.get("/staff/")  # first requests load templates and caches: not counted
    client.get(f"/staff/people/{ids[0]}/")

    def counted(paths: list[tuple[str, dict[str, str]]]) -> tuple[float, float]:
        profile = cProfile.Profile()
        started = time.process_time()
        profile.enable()
        for path, query in paths:
            assert client.get(path, query).status_code == 200
        profile.disable()
        cpu_ms = (time.process_time() - started) * 1000 / len(paths)
        return pstats.Stats(profile).total_calls / len(paths), cpu_ms  # type: ignore[attr-defined]

    caseload_calls, caseload_cpu = counted(
        [("/staff/", {"q": "Surname1" if i % 2 else "", "sort": "name"}) for i in range(RUNS)]
    )
    record_calls, record_cpu = counted([(f"/staff/people/{pk}/", {}) for pk in ids])
    print(f"caseload_page_calls = {caseload_calls:.0f}")
    print(f"person_record_calls = {record_calls:.0f}")
    # Measured under the profiler, so higher than bench/caseload.py's; for comparing versions only.
    print(f"caseload_page_cpu_ms = {caseload_cpu:.1f}")
    print(f"person_record_cpu_ms = {record_cpu:.1f}")


if __name__ == "__main__":
    main()
