"""manage.py people_import of 50,000 synthetic people into a fresh database, then the same file again.

Half are in custody at 20 prisons, half supervised from 40 probation offices with an address at a
real postcode (placed from the offline data). Prints: people_import_rows, people_import_file_mb,
people_import_rows_per_second (first import: every row created), people_import_seconds and
people_import_cpu_seconds (this process's own CPU time, steadier on a busy machine),
people_import_unchanged_rows_per_second (the same file again: every row compared, nothing written).
"""

import json
import random
import tempfile
import time
from io import StringIO
from pathlib import Path

from _setup import django_with_fresh_database

ROWS = 50_000
PRISONS = 20
OFFICES = 40
POSTCODE_AREAS = ("LS", "M", "B", "CF", "NE")
HEADER = (
    "prison_number,crn,first_name,last_name,date_of_birth,status,unit_code,address_line_1,address_line_2,"
    "town,postcode,phone,email,language,release_date,licence_end_date,hdc_eligibility_date"
)


def main() -> None:
    django_with_fresh_database()
    from django.core.management import call_command

    from onward.organisations.tests.factories import OfficeFactory, PduFactory, PrisonFactory, RegionFactory

    region = RegionFactory.create(code="BENCH", name="Bench region")
    prisons = [PrisonFactory.create(code=_letters(i, 3), parent=region) for i in range(PRISONS)]
    pdus = [PduFactory.create(code=f"BENCH-PDU-{i}", parent=region) for i in range(OFFICES // 4)]
    offices = [OfficeFactory.create(code=f"BENCH-OFF-{i}", parent=pdus[i % len(pdus)]) for i in range(OFFICES)]
    postcodes = _real_postcodes()
    folder = Path(tempfile.mkdtemp(prefix="onward-bench-import-"))
    path = folder / "people.csv"
    path.write_text(_csv([p.code for p in prisons], [o.code for o in offices], postcodes), encoding="utf-8")

    first, seconds, cpu_seconds = _import(call_command, path)
    assert first == {"created": ROWS, "updated": 0, "unchanged": 0}, first
    again, again_seconds, _cpu = _import(call_command, path)
    assert again == {"created": 0, "updated": 0, "unchanged": ROWS}, again

    print(f"people_import_rows = {ROWS}")
    print(f"people_import_file_mb = {path.stat().st_size / 1_048_576:.1f}")
    print(f"people_import_seconds = {seconds:.1f}")
    print(f"people_import_cpu_seconds = {cpu_seconds:.1f}")
    print(f"people_import_rows_per_second = {ROWS / seconds:.0f}")
    print(f"people_import_unchanged_rows_per_second = {ROWS / again_seconds:.0f}")


def _import(call_command: object, path: Path) -> tuple[dict[str, int], float, float]:
    """(report, wall-clock seconds, CPU seconds of this process: the figure on a busy shared machine)."""
    out = StringIO()
    started, cpu_started = time.perf_counter(), time.process_time()
    call_command("people_import", str(path), stdout=out)  # type: ignore[operator]
    return json.loads(out.getvalue()), time.perf_counter() - started, time.process_time() - cpu_started


def _csv(prison_codes: list[str], office_codes: list[str], postcodes: list[str]) -> str:
    rng = random.Random(11)
    lines = [HEADER]
    for n in range(ROWS):
        born = f"{1950 + n % 50}-{1 + n % 12:02d}-{1 + n % 28:02d}"
        name = f"Bench,Person-{_letters(n, 4).title()}"
        if n % 2 == 0:
            number = f"{_letters(n // 26**3, 1)}{n % 10000:04d}{_letters(n // 10000, 2)}"
            lines.append(f"{number},,{name},{born},sentenced,{rng.choice(prison_codes)},,,,,,,,,,")
        else:
            crn = f"X{n:06d}"
            postcode = rng.choice(postcodes)
            lines.append(
                f",{crn},{name},{born},licence,{rng.choice(office_codes)},{n} Bench Street,,Benchtown,{postcode},"
                f"07700{n % 1_000_000:06d},,{'cy' if n % 10 == 1 else 'en'},2026-01-{1 + n % 28:02d},"
                f"2027-01-{1 + n % 28:02d},"
            )
    return "\n".join(lines) + "\n"


def _real_postcodes() -> list[str]:
    """Postcodes that are in the offline data: candidates in a few areas, kept if they are found."""
    from onward.location.postcodes import PostcodePlace, postcodes_locate

    candidates = [
        f"{area}{district} {sector}{a}{b}"
        for area in POSTCODE_AREAS
        for district in range(1, 12)
        for sector in range(10)
        for a in "ABDEFG"
        for b in "ABDEFGHJ"
    ]
    found = [text for text, place in postcodes_locate(candidates).items() if isinstance(place, PostcodePlace)]
    assert len(found) > 500, len(found)
    return sorted(found)


def _letters(n: int, width: int) -> str:
    """n in base 26 as capital letters, `width` long (A-Z only: codes and names may not hold digits)."""
    word = ""
    for _ in range(width):
        word = chr(ord("A") + n % 26) + word
        n //= 26
    return word


if __name__ == "__main__":
    main()
