import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from onward.jobs.schedule import periodic_jobs
from onward.jobs.services import periodic_job_run


class Command(BaseCommand):
    help = "Run one periodic job now, in this process (for operators, and to try the demo without waiting)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("name", help="One of: " + ", ".join(sorted(periodic_jobs())))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = periodic_job_run(options["name"])
        except LookupError as error:
            raise CommandError(f"{error}. Choose one of: {', '.join(sorted(periodic_jobs()))}") from None
        self.stdout.write(json.dumps(result, default=str))
