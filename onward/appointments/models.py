"""Appointments, their reminders, reminder preferences and private calendar feeds.

An appointment's life is the transition table `TRANSITIONS`: it is booked, then attended, missed
(failed to attend), excused (acceptable absence), cancelled or rearranged (to a new appointment).
Services refuse any other move; the outcomes in `REASON_REQUIRED` need a reason.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppointmentKind(models.TextChoices):
    SUPERVISION = "supervision", _("Supervision with your probation practitioner")
    KEY_WORKER = "key_worker", _("Meeting with your key worker")
    PROGRAMME = "programme", _("Programme session")
    DRUG_TEST = "drug_test", _("Drug test")
    PARTNER = "partner", _("Partner service (housing, Jobcentre, treatment)")


class AppointmentState(models.TextChoices):
    BOOKED = "booked", _("Booked")
    ATTENDED = "attended", _("Attended")
    FAILED_TO_ATTEND = "failed_to_attend", _("Failed to attend")
    ACCEPTABLE_ABSENCE = "acceptable_absence", _("Acceptable absence")
    CANCELLED = "cancelled", _("Cancelled")
    REARRANGED = "rearranged", _("Rearranged")


S = AppointmentState
TRANSITIONS: dict[str, frozenset[str]] = {
    S.BOOKED: frozenset({S.ATTENDED, S.FAILED_TO_ATTEND, S.ACCEPTABLE_ABSENCE, S.CANCELLED, S.REARRANGED}),
    S.ATTENDED: frozenset(),
    S.FAILED_TO_ATTEND: frozenset(),
    S.ACCEPTABLE_ABSENCE: frozenset(),
    S.CANCELLED: frozenset(),
    S.REARRANGED: frozenset(),
}
REASON_REQUIRED = frozenset({S.ACCEPTABLE_ABSENCE, S.CANCELLED, S.REARRANGED})
ATTENDANCE_OUTCOMES = frozenset({S.ATTENDED, S.FAILED_TO_ATTEND, S.ACCEPTABLE_ABSENCE})
# Reminders go only for these; the sending job re-checks it when it runs.
REMINDABLE_STATES = frozenset({S.BOOKED})


def transition_allowed(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


class Appointment(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="appointments")
    kind = models.CharField(max_length=20, choices=AppointmentKind.choices)
    # Who with: a member of staff, or a named partner service (or both).
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments_with"
    )
    with_name = models.CharField(_("who with"), max_length=200, blank=True)
    office = models.ForeignKey(
        "organisations.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="appointments"
    )
    address = models.TextField(blank=True)
    video_url = models.URLField(blank=True)
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    notes = models.TextField(blank=True)
    compulsory = models.BooleanField(default=True)

    state = models.CharField(max_length=20, choices=AppointmentState.choices, default=S.BOOKED, db_index=True)
    outcome_reason = models.TextField(blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rearranged_to = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="rearranged_from"
    )

    confirmed_at = models.DateTimeField(null=True, blank=True)
    rearrange_requested_at = models.DateTimeField(null=True, blank=True)
    rearrange_request_note = models.TextField(blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["person", "starts_at"]), models.Index(fields=["staff", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="appointment_ends_after_start"),
            models.CheckConstraint(condition=~Q(address="") | ~Q(video_url=""), name="appointment_has_a_place"),
            models.CheckConstraint(condition=Q(state__in=list(S.values)), name="appointment_state_known"),
            models.CheckConstraint(
                condition=~Q(state__in=sorted(REASON_REQUIRED)) | ~Q(outcome_reason=""),
                name="appointment_outcome_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(rearranged_to__isnull=True) | Q(state=S.REARRANGED),
                name="appointment_only_rearranged_links_on",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_video(self) -> bool:
        return bool(self.video_url)

    @property
    def where(self) -> str:
        return self.video_url or self.address

    @property
    def who_with(self) -> str:
        if self.staff is not None and self.with_name:
            return f"{self.staff.get_full_name() or self.staff.username}, {self.with_name}"
        if self.staff is not None:
            return str(self.staff.get_full_name() or self.staff.username)
        return self.with_name

    @property
    def is_open(self) -> bool:
        return self.state == S.BOOKED


class CalendarFeed(models.Model):
    """A private iCalendar address for a person or a member of staff. Only the token's digest is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="one_live_calendar_feed_per_user"
            )
        ]


class SlotState(models.TextChoices):
    OPEN = "open", _("Open")
    BOOKED = "booked", _("Booked")
    WITHDRAWN = "withdrawn", _("Withdrawn")


SLOT_TRANSITIONS: dict[str, frozenset[str]] = {
    SlotState.OPEN: frozenset({SlotState.BOOKED, SlotState.WITHDRAWN}),
    SlotState.BOOKED: frozenset({SlotState.WITHDRAWN}),  # withdrawing a booked slot cancels its appointment
    SlotState.WITHDRAWN: frozenset(),
}


class Slot(models.Model):
    """A time a member of staff has opened for a person on their caseload to book themselves.

    The slot belongs to the member of staff (and their office); it may be kept for one person. Taking
    it is one conditional UPDATE from open to booked, so exactly one person gets it; the booking is an
    ordinary `Appointment`, linked here.
    """

    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointment_slots")
    office = models.ForeignKey(
        "organisations.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="appointment_slots"
    )
    kind = models.CharField(max_length=20, choices=AppointmentKind.choices)
    # Kept for this one person; empty means anyone the member of staff supervises.
    for_person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="appointment_slots_kept"
    )
    address = models.TextField(blank=True)
    video_url = models.URLField(blank=True)
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()

    state = models.CharField(max_length=10, choices=SlotState.choices, default=SlotState.OPEN, db_index=True)
    booked_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="appointment_slots_booked"
    )
    booked_at = models.DateTimeField(null=True, blank=True)
    appointment = models.OneToOneField(
        Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="slot"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdraw_reason = models.TextField(blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["staff", "state", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"),
            models.CheckConstraint(condition=~Q(address="") | ~Q(video_url=""), name="slot_has_a_place"),
            models.CheckConstraint(condition=Q(state__in=list(SlotState.values)), name="slot_state_known"),
            # Open means nobody has it; booked means somebody does. Withdrawn keeps what it had.
            models.CheckConstraint(
                condition=Q(state=SlotState.OPEN, booked_by__isnull=True, appointment__isnull=True)
                | Q(state=SlotState.BOOKED, booked_by__isnull=False)
                | Q(state=SlotState.WITHDRAWN),
                name="slot_booked_by_one_person",
            ),
            # One live slot per member of staff per start time, so opening a range twice adds nothing.
            models.UniqueConstraint(
                fields=["staff", "starts_at"],
                condition=~Q(state=SlotState.WITHDRAWN),
                name="slot_once_per_staff_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_video(self) -> bool:
        return bool(self.video_url)

    @property
    def where(self) -> str:
        return self.video_url or self.address
