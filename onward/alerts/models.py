"""Alerts: something a practitioner must look at and decide on, raised by the apps that notice it.

Every kind of alert (a missed check-in, two missed appointments, a new case after release, ...) is one
`Alert`. Other apps raise them with `onward.alerts.services.alert_raise`; this app never imports them.

An alert's life is the transition table `TRANSITIONS`: it is open, then acknowledged, then closed;
or closed straight from open. Closing always takes a decision and a reason. An open high-severity
alert that no one acknowledges in time is escalated once (`ESCALATABLE_STATES`), which is recorded on
the alert and does not change its state. Services refuse every other move.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AlertKind(models.TextChoices):
    CHECKIN_MISSED = "checkin_missed", _("Missed check-in")
    CHECKIN_FLAGGED = "checkin_flagged", _("Check-in flagged")
    ABSENCES = "absences", _("Missed appointments")
    RELEASE_HANDOVER = "release_handover", _("New case after release")
    REARRANGE_REQUEST = "rearrange_request", _("Request to rearrange")
    SLOT_BOOKED = "slot_booked", _("Appointment booked")
    ZONE = "zone", _("Zone")
    CURFEW = "curfew", _("Curfew")
    LOCATION_SPOOFING = "location_spoofing", _("Location looks faked")
    CURFEW_CHECKIN_MISSED = "curfew_checkin_missed", _("Missed curfew check-in")
    REQUEST_LATE = "request_late", _("Request not answered in time")
    ROTL_LATE_RETURN = "rotl_late_return", _("Late back from temporary release")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


# Higher first when alerts are sorted.
SEVERITY_RANK = {Severity.HIGH: 3, Severity.MEDIUM: 2, Severity.LOW: 1}

# How serious each kind is unless the app that raises it says otherwise.
DEFAULT_SEVERITY: dict[str, str] = {
    AlertKind.CHECKIN_MISSED: Severity.HIGH,
    AlertKind.CHECKIN_FLAGGED: Severity.MEDIUM,
    AlertKind.ABSENCES: Severity.HIGH,
    AlertKind.RELEASE_HANDOVER: Severity.MEDIUM,
    AlertKind.REARRANGE_REQUEST: Severity.MEDIUM,
    AlertKind.SLOT_BOOKED: Severity.LOW,
    AlertKind.ZONE: Severity.HIGH,
    AlertKind.CURFEW: Severity.HIGH,
    AlertKind.LOCATION_SPOOFING: Severity.MEDIUM,
    AlertKind.CURFEW_CHECKIN_MISSED: Severity.HIGH,
    AlertKind.REQUEST_LATE: Severity.MEDIUM,
    AlertKind.ROTL_LATE_RETURN: Severity.HIGH,
}


class AlertState(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", _("Closed")


S = AlertState
TRANSITIONS: dict[str, frozenset[str]] = {
    S.OPEN: frozenset({S.ACKNOWLEDGED, S.CLOSED}),
    S.ACKNOWLEDGED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}
# Closing needs a decision and a reason, from either state.
REASON_REQUIRED = frozenset({S.CLOSED})
# Notes may be added until the alert is closed; escalation happens only to an alert nobody has picked up.
NOTE_STATES = frozenset({S.OPEN, S.ACKNOWLEDGED})
ESCALATABLE_STATES = frozenset({S.OPEN})
WAITING_STATES = frozenset({S.OPEN, S.ACKNOWLEDGED})


def transition_allowed(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


class Decision(models.TextChoices):
    NO_ACTION = "no_action", _("No further action")
    ACTION_TAKEN = "action_taken", _("Action taken")
    ENFORCEMENT = "enforcement", _("Enforcement action started")
    RAISED_IN_ERROR = "raised_in_error", _("Raised in error")


class Alert(models.Model):
    kind = models.CharField(max_length=30, choices=AlertKind.choices)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    state = models.CharField(max_length=15, choices=AlertState.choices, default=AlertState.OPEN)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="alerts")
    summary = models.CharField(max_length=300, help_text=_("What happened, in a sentence."))
    # What caused it: a page in Onward (its URL name and arguments) and the words for the link.
    cause_url_name = models.CharField(max_length=100, blank=True)
    cause_args = models.JSONField(default=list, blank=True)
    cause_label = models.CharField(max_length=200, blank=True)
    # The same cause raises one alert: the raising app names it (for example "checkin-missed:42").
    key = models.CharField(max_length=150, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Who it is for: the person's practitioner (or key worker) when it was raised, else their unit.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts_assigned"
    )
    assigned_unit = models.ForeignKey(
        "organisations.OrgUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_to = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="alerts_escalated")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["assigned_to", "state"]),
            models.Index(fields=["state", "severity", "escalated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=AlertState.CLOSED) | (~Q(decision="") & ~Q(reason="")),
                name="alert_closed_has_decision_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(state=AlertState.OPEN) | Q(acknowledged_at__isnull=False) | Q(closed_at__isnull=False),
                name="alert_moved_has_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person_id} ({self.get_state_display()})"

    @property
    def severity_rank(self) -> int:
        return SEVERITY_RANK[Severity(self.severity)]


class AlertNote(models.Model):
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
