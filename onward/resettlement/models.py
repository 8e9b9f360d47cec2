"""A person's resettlement plan: assessments (versioned), needs with their status, actions, and history.

A need's life is `NEED_TRANSITIONS`: not started → in progress → met, or declined from either; a met
or declined need may be opened again. Services refuse every other move. The plan belongs to the
person, not to the prison: it stays the same rows through a transfer and through release.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onward.resettlement.applications import APPLICATION_KIND_CODES
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
    APPLICATION_ADDED = "application_added", _("Application started")
    APPLICATION_STATUS = "application_status", _("Application moved on")
    DOCUMENT_ADDED = "document_added", _("Document added")
    DOCUMENT_REMOVED = "document_removed", _("Document removed")


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


# --- Requests ("apps" in prison) --------------------------------------------------------------------


class RequestKind(models.TextChoices):
    VISITS = "visits", _("Visits")
    HEALTHCARE = "healthcare", _("Healthcare")
    PROPERTY = "property", _("Property")
    MONEY = "money", _("Money")
    COMPLAINT = "complaint", _("Complaint")
    OTHER = "other", _("Something else")


class Department(models.Model):
    """A part of a prison that answers requests (the visits hall, healthcare, reception, ...)."""

    prison = models.ForeignKey("organisations.OrgUnit", on_delete=models.PROTECT, related_name="request_departments")
    name = models.CharField(max_length=100)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["prison", "name"]
        constraints = [models.UniqueConstraint(fields=["prison", "name"], name="department_name_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prison})"


class RequestType(models.Model):
    """At one prison, a kind of request: which department answers it and in how many working days."""

    prison = models.ForeignKey("organisations.OrgUnit", on_delete=models.PROTECT, related_name="request_types")
    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="request_types")
    response_working_days = models.PositiveSmallIntegerField(default=5)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["prison", "kind"]
        constraints = [models.UniqueConstraint(fields=["prison", "kind"], name="request_type_once_per_prison")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.prison}"


class RequestState(models.TextChoices):
    SUBMITTED = "submitted", _("Sent")
    ASSIGNED = "assigned", _("Being looked at")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


R = RequestState
REQUEST_TRANSITIONS: dict[str, frozenset[str]] = {
    R.SUBMITTED: frozenset({R.ASSIGNED, R.ANSWERED, R.WITHDRAWN, R.CLOSED}),
    R.ASSIGNED: frozenset({R.ASSIGNED, R.ANSWERED, R.WITHDRAWN, R.CLOSED}),
    R.ANSWERED: frozenset({R.CLOSED}),
    R.CLOSED: frozenset(),
    R.WITHDRAWN: frozenset(),
}
# Waiting for an answer: these count towards the deadline and escalate when it passes.
AWAITING_STATES = frozenset({R.SUBMITTED, R.ASSIGNED})


def request_transition_allowed(current: str, target: str) -> bool:
    return target in REQUEST_TRANSITIONS.get(current, frozenset())


class PrisonRequest(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="prison_requests")
    prison = models.ForeignKey("organisations.OrgUnit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="requests")
    text = models.TextField()
    state = models.CharField(max_length=20, choices=RequestState.choices, default=RequestState.SUBMITTED)
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests_assigned"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # The same submission sent twice (a double tap, a retry) makes one request.
    idempotency_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "due_at"]),
            models.Index(fields=["prison", "state"]),
            models.Index(fields=["person", "created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="request_idempotency_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} request {self.pk} ({self.state})"

    def is_late(self, now: datetime | None = None) -> bool:
        return self.state in AWAITING_STATES and self.due_at < (now or timezone.now())


class RequestEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("You sent the request")
    ASSIGNED = "assigned", _("Someone is looking at it")
    REPLIED = "replied", _("Reply")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ESCALATED = "escalated", _("Not answered in time: passed to a manager")


class RequestEvent(models.Model):
    """A request's history: what the person sees of it, in order."""

    request = models.ForeignKey(PrisonRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=RequestEventKind.choices)
    text = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]


# --- ID and bank account applications ----------------------------------------------------------


class ApplicationStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    REQUESTED = "requested", _("Asked for the forms")
    SUBMITTED = "submitted", _("Sent off")
    WAITING = "waiting", _("Waiting for an answer")
    RECEIVED = "received", _("Received or opened")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Stopped")


A = ApplicationStatus
APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    A.NOT_STARTED: frozenset({A.REQUESTED, A.SUBMITTED, A.WITHDRAWN}),
    A.REQUESTED: frozenset({A.SUBMITTED, A.REFUSED, A.WITHDRAWN}),
    A.SUBMITTED: frozenset({A.WAITING, A.RECEIVED, A.REFUSED, A.WITHDRAWN}),
    A.WAITING: frozenset({A.RECEIVED, A.REFUSED, A.WITHDRAWN}),
    A.RECEIVED: frozenset({A.DONE}),
    A.DONE: frozenset(),
    A.REFUSED: frozenset(),
    A.WITHDRAWN: frozenset(),
}
# Refused and withdrawn need a reason; a finished application stays as it is (a new one starts again).
APPLICATION_REASON_REQUIRED = frozenset({A.REFUSED, A.WITHDRAWN})
APPLICATION_OPEN_STATUSES = frozenset({A.NOT_STARTED, A.REQUESTED, A.SUBMITTED, A.WAITING})
APPLICATION_HELD_STATUSES = frozenset({A.RECEIVED, A.DONE})  # the person has the ID, or the account is open
# The date each step is reached is kept on the application.
APPLICATION_STATUS_DATES: dict[str, str] = {
    A.REQUESTED: "requested_at",
    A.SUBMITTED: "submitted_at",
    A.RECEIVED: "received_at",
    A.DONE: "finished_at",
    A.REFUSED: "finished_at",
    A.WITHDRAWN: "finished_at",
}


def application_transition_allowed(current: str, target: str) -> bool:
    return target in APPLICATION_TRANSITIONS.get(current, frozenset())


class Application(models.Model):
    """One application for ID, a bank account or a card, tracked from start to finish."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="resettlement_applications")
    kind = models.CharField(max_length=40, choices=[(code, code) for code in APPLICATION_KIND_CODES])
    status = models.CharField(max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.NOT_STARTED)
    owner = models.CharField(max_length=20, choices=Owner.choices)
    need = models.ForeignKey(Need, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications")
    reference = models.CharField(max_length=100, blank=True)  # the issuer's reference, when there is one
    reason = models.TextField(blank=True)  # why it was refused or stopped
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    requested_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["person", "created_at", "pk"]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"{self.kind} ({self.status}) of {self.person_id}"

    @property
    def is_open(self) -> bool:
        return self.status in APPLICATION_OPEN_STATUSES


# --- Documents ---------------------------------------------------------------------------------


class DocumentKind(models.TextChoices):
    ID = "id", _("ID")
    LICENCE = "licence", _("Licence")
    CV = "cv", _("CV")
    CERTIFICATE = "certificate", _("Certificate")
    LETTER = "letter", _("Letter")
    OTHER = "other", _("Something else")


class Document(models.Model):
    """A file kept for the person (ID, licence, CV, certificates, letters), stored privately.

    Never served by a URL of its own: it goes out only through the permission-checked download view.
    It belongs to the person, not the prison: it stays the same row through transfer and release.
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="resettlement_documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    title = models.CharField(max_length=120)
    file = models.FileField(upload_to="resettlement/documents/%Y/%m/")
    content_type = models.CharField(max_length=40)
    size_bytes = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)  # the file goes by the retention rule
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["person", "removed_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.kind}) of {self.person_id}"

    @property
    def filename(self) -> str:
        """The name it downloads as: from its kind and real type, never from what was uploaded."""
        extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(self.content_type, "bin")
        return f"{self.kind}-{self.pk}.{extension}"
