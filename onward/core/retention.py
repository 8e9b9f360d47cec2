"""Retention: how long each kind of personal data is kept. One rule per data type, one daily job.

Each app registers its rules in its own `retention.py`, found at start-up:

    @retention_rule("sign_in_attempts", covers=[SignInAttempt])
    def sign_in_attempts_delete(now: datetime) -> int: ...

A rule deletes (or empties) what is past its period and returns how many rows or files went; its
period is a setting. `retention_run` is the daily job: it runs every rule, each in its own
transaction, and writes one audit event for each rule that deleted something.

Data kept for as long as the person's record is kept says so in KEPT_WITH_THE_RECORD, with the
reason. A test fails when a model that points at a person is in neither, so a new table of
personal data cannot go without a retention decision.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from onward.core.actors import SystemActor
from onward.core.audit_actions import AuditAction
from onward.core.auditing import audit_write

RETENTION_ACTOR = SystemActor("retention_run")
RetentionFunction = Callable[[datetime], int]
_RULES: dict[str, tuple[RetentionFunction, tuple[type[models.Model], ...]]] = {}

_WITH_THE_RECORD = "kept while the person's record is kept; deleted with it"
KEPT_WITH_THE_RECORD: dict[str, str] = {
    "people.StaffAssignment": _WITH_THE_RECORD,
    "people.LicenceVersion": _WITH_THE_RECORD + " (the licence history is part of the case record)",
    "accounts.User": "the person's account: ended when supervision ends (person_supervision_end)",
    "audit.AuditEvent": "the audit trail is append-only and hash-chained: it outlives the records it describes",
    "appointments.Appointment": _WITH_THE_RECORD + " (attendance is part of the case record)",
    "notifications.ReminderPreference": _WITH_THE_RECORD,
    "appointments.Slot": _WITH_THE_RECORD,
    "checkins.Enrolment": "the face template and reference photo go when supervision ends; the rest "
    + _WITH_THE_RECORD,
    "checkins.ExtraQuestion": _WITH_THE_RECORD,
    "checkins.SuitabilityScreen": _WITH_THE_RECORD,
    "checkins.CheckIn": "media by its own rule (check_in_media); the answers and decisions " + _WITH_THE_RECORD,
    "messaging.Conversation": _WITH_THE_RECORD,
    "messaging.ApprovedContact": _WITH_THE_RECORD,
    "messaging.BroadcastDelivery": _WITH_THE_RECORD,
    "learning.Enrolment": _WITH_THE_RECORD + " (learning follows the person after release)",
    "learning.LessonProgress": _WITH_THE_RECORD,
    "learning.Certificate": _WITH_THE_RECORD + " (anyone may still need to check it)",
    "learning.SelfAssessmentResult": _WITH_THE_RECORD,
    "library.SavedItem": _WITH_THE_RECORD,
    "library.Rating": _WITH_THE_RECORD,
    "curfew.CurfewTerms": _WITH_THE_RECORD + " (curfew and zones are part of the licence history)",
    "curfew.Zone": _WITH_THE_RECORD + " (curfew and zones are part of the licence history)",
    "curfew.CurfewVariation": _WITH_THE_RECORD + " (approved changes are part of the licence history)",
    "curfew.Violation": _WITH_THE_RECORD + " (what raised an alert, and when)",
    "curfew.RandomCheckins": _WITH_THE_RECORD,
    "curfew.CurfewPrompt": _WITH_THE_RECORD
    + " (when each random check-in was asked; the check-in keeps its media rule)",
    "opportunities.Sentence": _WITH_THE_RECORD + " (early release dates are worked out from it)",
    "opportunities.Decision": _WITH_THE_RECORD + " (each early release decision, with the rules it used)",
    "opportunities.HdcCase": _WITH_THE_RECORD + " (the home detention curfew case and its steps)",
    "opportunities.AddressProposal": _WITH_THE_RECORD + " (addresses offered for the home circumstances check)",
    "opportunities.RotlGrant": _WITH_THE_RECORD + " (temporary release granted, and on what conditions)",
    "opportunities.RotlAbsence": _WITH_THE_RECORD + " (each time out and back)",
    "resettlement.Assessment": _WITH_THE_RECORD + " (the plan follows the person through the gate)",
    "resettlement.Need": _WITH_THE_RECORD,
    "resettlement.PlanAction": _WITH_THE_RECORD,
    "resettlement.PlanEvent": _WITH_THE_RECORD + " (the plan's history is part of the case record)",
    "resettlement.Application": _WITH_THE_RECORD + " (ID and bank account applications follow the person)",
}


def retention_rule(name: str, *, covers: list[type[models.Model]]) -> Callable[[RetentionFunction], RetentionFunction]:
    def register(function: RetentionFunction) -> RetentionFunction:
        if name in _RULES and _RULES[name][0] is not function:
            raise ValueError(f"Two retention rules are called {name!r}.")
        _RULES[name] = (function, tuple(covers))
        return function

    return register


def retention_rules() -> dict[str, RetentionFunction]:
    return {name: function for name, (function, _covers) in sorted(_RULES.items())}


def retention_covered() -> set[str]:
    return {model._meta.label for _function, covers in _RULES.values() for model in covers}


def retention_run(now: datetime | None = None) -> dict[str, Any]:
    """The daily job: every rule, each in its own transaction; an audit event for each that deleted."""
    at = now or timezone.now()
    results: dict[str, Any] = {}
    for name, function in retention_rules().items():
        with transaction.atomic():
            deleted = function(at)
            if deleted:
                audit_write(
                    actor=RETENTION_ACTOR,
                    action=AuditAction.RETENTION_DELETED,
                    reason=name,
                    data={"rule": name, "deleted": deleted},
                )
        results[name] = deleted
    return results
