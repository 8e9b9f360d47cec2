"""Send the reminders that are due now, or (--hours-ahead N) those due in the next N hours, now: for the demo."""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from onward.notifications.reminders import reminders_plan, reminders_send


class Command(BaseCommand):
    help = (
        "Plan and send due reminders (appointments, check-in windows). --hours-ahead N: also those due within N hours."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--hours-ahead", type=float, default=0.0)

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        planned = reminders_plan(now=now)
        # Reminders due in the next N hours go now; each thing is judged as it is now, so none is spent.
        result = reminders_send(now=now, due_by=now + timedelta(hours=options["hours_ahead"]))
        self.stdout.write(f"planned={planned['planned']} sent={result['sent']} skipped={result['skipped']}")
