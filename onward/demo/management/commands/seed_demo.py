from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from onward.demo.seed import demo_seed


class Command(BaseCommand):
    help = "Create the demo prison, probation unit, staff and people (once; running it again changes nothing)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo data is never loaded in production.")
        created = demo_seed()
        self.stdout.write("Demo data created." if created else "Demo data is already there.")
