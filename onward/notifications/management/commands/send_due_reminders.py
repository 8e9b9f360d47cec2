"""Send the reminders (appointments and check-in windows) that are due now, or as if it were later, for the demo."""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from onward.notifications.reminders import reminders_plan, reminders_send


class Command(BaseCommand):
    help = "Plan and send due reminders (appointments, check-in windows). --hours-ahead N: as if N hours later."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--hours-ahead", type=float, default=0.0)

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now() + timedelta(hours=options["hours_ahead"])
        planned = reminders_plan(now=timezone.now())
        result = reminders_send(now=now)
        self.stdout.write(f"planned={planned['planned']} sent={result['sent']} skipped={result['skipped']}")
