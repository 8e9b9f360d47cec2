"""A person's resettlement plan: assessments (versioned), needs with their status, actions, and history.

A need's life is `NEED_TRANSITIONS`: not started → in progress → met, or declined from either; a met
or declined need may be opened again. Services refuse every other move. The plan belongs to the
person, not to the prison: it stays the same rows through a transfer and through release.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onward.resettlement.needs import NEED_CODES, Owner, Pathway


class AssessmentKind(models.TextChoices):
    RECEPTION = "reception", _("Immediate needs at reception")
    PRE_RELEASE = "pre_release", _("Pre-release (12 weeks before release)")
    REVIEW = "review", _("Review")


class Assessment(models.Model):
    """One version of the needs assessment: which needs were found, by whom, when."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="resettlement_assessments")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=AssessmentKind.choices)
    need_codes = models.JSONField(default=list)
    notes = models.TextField(blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    assessed_at = models.DateTimeField(default=timezone.now)
    unit = models.ForeignKey("organisations.OrgUnit", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["person", "number"]
        constraints = [models.UniqueConstraint(fields=["person", "number"], name="assessment_number_unique")]

    def __str__(self) -> str:
        return f"Assessment {self.number} ({self.kind}) of {self.person_id}"


class NeedStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    MET = "met", _("Done")
    DECLINED = "declined", _("Not wanted")


N = NeedStatus
NEED_TRANSITIONS: dict[str, frozenset[str]] = {
    N.NOT_STARTED: frozenset({N.IN_PROGRESS, N.MET, N.DECLINED}),
    N.IN_PROGRESS: frozenset({N.MET, N.DECLINED, N.NOT_STARTED}),
    N.MET: frozenset({N.IN_PROGRESS}),
    N.DECLINED: frozenset({N.NOT_STARTED, N.IN_PROGRESS}),
}
OPEN_NEED_STATUSES = frozenset({N.NOT_STARTED, N.IN_PROGRESS})
# Declining needs a note saying why (the person's own words, or the reason staff record).
NOTE_REQUIRED = frozenset({N.DECLINED})


def need_transition_allowed(current: str, target: str) -> bool:
    return target in NEED_TRANSITIONS.get(current, frozenset())


class Need(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="resettlement_needs")
    code = models.CharField(max_length=40, choices=[(code, code) for code in NEED_CODES])
    pathway = models.CharField(max_length=20, choices=Pathway.choices)
    status = models.CharField(max_length=20, choices=NeedStatus.choices, default=NeedStatus.NOT_STARTED)
    owner = models.CharField(max_length=20, choices=Owner.choices)
    found_in = models.ForeignKey(Assessment, null=True, on_delete=models.SET_NULL, related_name="needs_found")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person", "pathway", "pk"]
        constraints = [models.UniqueConstraint(fields=["person", "code"], name="need_once_per_person")]

    def __str__(self) -> str:
        return f"{self.code} ({self.status}) of {self.person_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_NEED_STATUSES


class PlanAction(models.Model):
    """Something to do: for a need (set by staff), or the person's own to-do (no need)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="resettlement_actions")
    need = models.ForeignKey(Need, null=True, blank=True, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(max_length=300)
    owner = models.CharField(max_length=20, choices=Owner.choices)
    due_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["done_at", "due_on", "pk"]
        indexes = [models.Index(fields=["person", "done_at"])]

    def __str__(self) -> str:
        return self.text


class PlanEventKind(models.TextChoices):
    ASSESSED = "assessed", _("Assessment recorded")
    NEED_ADDED = "need_added", _("Need added")
    NEED_STATUS = "need_status", _("Status changed")
    NEED_OWNER = "need_owner", _("Owner changed")
    ACTION_ADDED = "action_added", _("Action added")
    ACTION_DONE = "action_done", _("Action done")
    ACTION_REOPENED = "action_reopened", _("Action not done after all")
    HANDED_OVER = "handed_over", _("Handed over at release")


class PlanEvent(models.Model):
    """The plan's history, as the person and staff read it (the audit trail keeps the evidence too)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="resettlement_events")
    kind = models.CharField(max_length=20, choices=PlanEventKind.choices)
    need = models.ForeignKey(Need, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    action = models.ForeignKey(PlanAction, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    data = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["person", "at"])]
