from typing import Any

from django.core.management.base import BaseCommand, CommandError

from onward.audit.services import audit_verify


class Command(BaseCommand):
    help = "Check the audit trail's hash chain from the first event to the last; name any broken event."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, problems = audit_verify()
        for problem in problems:
            self.stderr.write(f"BROKEN event seq={problem.seq} id={problem.event_id}: {problem.problem}")
        if problems:
            raise CommandError(f"Audit chain broken: {len(problems)} problem(s) in {checked} events.")
        self.stdout.write(f"Audit chain intact: {checked} events checked.")
