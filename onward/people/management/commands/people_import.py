"""manage.py people_import FILE.csv [--dry-run]: people in bulk from the command line, as the system.

Prints the report as JSON on standard output: {"created": N, "updated": M, "unchanged": K}, or
{"errors": [{"line": N, "column": "...", "message": "..."}]} with exit status 1 (nothing imported).
"""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from onward.core.actors import SystemActor
from onward.people.imports import people_import_csv

# Whoever runs the command on the server acts as the system: every unit, recorded by the command's name.
COMMAND_ACTOR = SystemActor("people_import")


class Command(BaseCommand):
    help = "Import people from a CSV file (see docs/people_import.md). Any bad row: nothing is imported."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the CSV file, UTF-8, with a header row")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            size = path.stat().st_size
            with path.open("rb") as handle:
                # One byte past the limit at most, so a huge file is refused without reading it all.
                content = handle.read(settings.PEOPLE_IMPORT_MAX_BYTES + 1)
        except OSError:
            message = f"We cannot read {path}: check the file name."
            self.stdout.write(json.dumps({"errors": [{"line": None, "column": "", "message": message}]}))
            raise CommandError(message) from None
        report = people_import_csv(
            actor=COMMAND_ACTOR,
            content=content,
            description=f"{path.name} (command line, {size} bytes)",
            dry_run=options["dry_run"],
        )
        self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        if not report.ok:
            raise CommandError(f"Nothing imported: {len(report.errors)} problem(s), listed on standard output.")
