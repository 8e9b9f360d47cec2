import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onward.messaging.services import screening_check


class Command(BaseCommand):
    help = (
        "Check a message against a prison's (or delivery unit's) word list without sending it. Prints JSON: "
        '{"held": true|false, "matched": [...], "canonical": "..."}. The check is audited as a test.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("unit_code", help="A prison's or delivery unit's code, like NGT.")
        parser.add_argument("text", help="The message to check.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            trial = screening_check(unit_code=options["unit_code"], text=options["text"])
        except LookupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(json.dumps(trial.as_dict(), ensure_ascii=False))
