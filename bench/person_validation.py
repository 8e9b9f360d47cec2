"""Checking people's details in bulk, as the CSV import does: one check per row after one load of the
identifiers already taken and the units.

Prints: person_validation_rows, person_validation_rows_per_second (every field checked, postcodes placed
from the offline data; the first postcode area's file load is included).
"""

import random
import time

from _setup import django_with_fresh_database

ROWS = int(__import__("os").environ.get("BENCH_ROWS", "20000"))
SEED = 20261205
POSTCODES = ["LS1 3ED", "LS6 1AA", "LS2 9JT", "M1 1AE", "CF10 1EP", "B1 1BB", "NG1 5FS", "S1 2HE"]


def main() -> None:
    django_with_fresh_database()
    from onward.organisations.tests.factories import OfficeFactory, PrisonFactory, WingFactory
    from onward.people.validation import identifiers_taken, person_fields_clean, units_by_code

    rng = random.Random(SEED)
    prison = PrisonFactory.create(code="BNX")
    WingFactory.create(code="BNX-A", parent=prison)
    OfficeFactory.create(code="OFF-B")
    rows = []
    for n in range(ROWS):
        custody = n % 2 == 0
        rows.append(
            {
                "prison_number": f"A{n % 10000:04d}{'ABCDEFGH'[n // 10000 % 8]}C" if custody else "",
                "crn": "" if custody else f"X{n:06d}",
                "first_name": "Synthetic",
                "last_name": "Bench" + "".join(chr(97 + (n // 26**i) % 26) for i in range(4)),
                "date_of_birth": f"19{rng.randint(50, 99)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                "status": "sentenced" if custody else "licence",
                "unit_code": "BNX-A" if custody else "OFF-B",
                "address_line_1": f"{n} Example Street",
                "postcode": rng.choice(POSTCODES),
                "phone": f"07700 9{n % 100000:05d}",
                "email": f"synthetic{n}@example.org",
                "conditional_release_date": "2027-03-01",
                "licence_expiry_date": "2028-03-01",
            }
        )
    started = time.perf_counter()
    taken = identifiers_taken(prison_numbers=[r["prison_number"] for r in rows], crns=[r["crn"] for r in rows])
    units = units_by_code()
    checks = [person_fields_clean(row, taken=taken, units=units) for row in rows]
    failed = sum(not c.ok for c in checks)
    elapsed = time.perf_counter() - started
    assert failed == 0, f"{failed} synthetic rows failed the check, like {checks[0].errors}"
    print(f"person_validation_rows = {ROWS}")
    print(f"person_validation_rows_per_second = {ROWS / elapsed:.0f}")


if __name__ == "__main__":
    main()
