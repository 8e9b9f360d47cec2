"""Remote check-ins: enrolment, versioned questionnaires, the check-in lifecycle and its evidence.

The check-in's states and the moves between them are data (`TRANSITIONS`); services refuse any
move not in the table, and the negative outcomes (`REASON_REQUIRED`) need a reason.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WINDOW_HOURS_MIN = 1
WINDOW_HOURS_MAX = 14 * 24


class Schedule(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    FORTNIGHTLY = "fortnightly", _("Every 2 weeks")
    FOUR_WEEKLY = "four_weekly", _("Every 4 weeks")
    WEEKDAYS = "weekdays", _("On chosen days of the week")


SCHEDULE_INTERVAL_DAYS = {Schedule.WEEKLY: 7, Schedule.FORTNIGHTLY: 14, Schedule.FOUR_WEEKLY: 28}


class ContactPreference(models.TextChoices):
    """How the person is told of a check-in, besides in the app (a new enrolment starts with what reaches them)."""

    SMS = "sms", _("Text message")
    EMAIL = "email", _("Email")
    PUSH = "push", _("Notification on their phone")
    IN_APP = "in_app", _("In the app only")


class OfficeVisits(models.TextChoices):
    REPLACES = "replaces", _("Replaces office visits")
    SUPPLEMENTS = "supplements", _("Supplements office visits")


class VoiceStatus(models.TextChoices):
    NOT_ENROLLED = "not_enrolled", _("No voice recorded yet")
    ENROLLED = "enrolled", _("Voice recorded")
    EXEMPT = "exempt", _("No voice check: cannot speak or hear")


def _reference_photo_path(instance: "Enrolment", filename: str) -> str:
    return f"checkins/reference/{instance.person_id}/{timezone.now():%Y%m%d%H%M%S}.jpg"


class Enrolment(models.Model):
    """One per person: their reference face, their schedule, and whether check-ins are running."""

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="checkin_enrolment")
    reference_photo = models.FileField(upload_to=_reference_photo_path, blank=True)
    reference_content_type = models.CharField(max_length=50, blank=True)
    template_encrypted = models.BinaryField(null=True, blank=True, editable=False)
    engine = models.CharField(max_length=100, blank=True)
    model_version = models.CharField(max_length=100, blank=True)
    schedule = models.CharField(max_length=20, choices=Schedule.choices, default=Schedule.WEEKLY)
    # Comma-separated ISO weekday numbers (Monday=0) for the WEEKDAYS schedule, e.g. "0,3".
    weekdays = models.CharField(max_length=20, blank=True)
    starts_on = models.DateField(default=timezone.localdate)
    window_hours = models.PositiveSmallIntegerField(default=72)
    contact_preference = models.CharField(
        max_length=10, choices=ContactPreference.choices, default=ContactPreference.SMS
    )
    office_visits = models.CharField(max_length=12, choices=OfficeVisits.choices)
    office_visits_reason = models.TextField()
    active = models.BooleanField(default=True)
    status_reason = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    enrolled_at = models.DateTimeField(default=timezone.now)
    template_deleted_at = models.DateTimeField(null=True, blank=True)
    # The voice (issue 13): a template from three phrases, or a recorded reason why there is none.
    voice_status = models.CharField(max_length=15, choices=VoiceStatus.choices, default=VoiceStatus.NOT_ENROLLED)
    voice_template_encrypted = models.BinaryField(null=True, blank=True, editable=False)
    voice_engine = models.CharField(max_length=100, blank=True)
    voice_model_version = models.CharField(max_length=200, blank=True)
    voice_exempt_reason = models.TextField(blank=True)
    voice_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_hours__gte=WINDOW_HOURS_MIN, window_hours__lte=WINDOW_HOURS_MAX),
                name="checkin_enrolment_window_in_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(schedule="weekdays") | ~models.Q(weekdays=""),
                name="checkin_enrolment_weekdays_chosen",
            ),
            models.CheckConstraint(condition=~models.Q(office_visits_reason=""), name="checkin_enrolment_reason_given"),
            models.CheckConstraint(
                condition=~models.Q(voice_status="exempt") | ~models.Q(voice_exempt_reason=""),
                name="checkin_enrolment_voice_exempt_reason_given",
            ),
        ]

    def __str__(self) -> str:
        return f"Check-in enrolment for person {self.person_id}"

    @property
    def weekday_numbers(self) -> list[int]:
        return [int(d) for d in self.weekdays.split(",") if d.strip().isdigit()]

    @property
    def has_template(self) -> bool:
        return bool(self.template_encrypted)


class QuestionKind(models.TextChoices):
    ONE_CHOICE = "one_choice", _("One choice")
    MANY_CHOICES = "many_choices", _("Several choices")
    YES_NO = "yes_no", _("Yes or no")
    TEXT = "text", _("Free text")


class Questionnaire(models.Model):
    """A version of the check-in questions. Check-ins keep the version they were asked."""

    version = models.PositiveIntegerField(unique=True)
    active = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=models.Q(active=True), name="one_active_questionnaire")
        ]

    def __str__(self) -> str:
        return f"Questionnaire v{self.version}"


class Question(models.Model):
    """A question with its choices in English and Welsh, and the answers that flag it for review.

    choices: [{"value": "...", "en": "...", "cy": "..."}]; flag_values: the values that raise a flag, for the
    reason coded in flag_reason.
    """

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=40)
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    text_en = models.CharField(max_length=300)
    text_cy = models.CharField(max_length=300)
    choices = models.JSONField(default=list, blank=True)
    flag_values = models.JSONField(default=list, blank=True)
    flag_reason = models.CharField(max_length=200, blank=True)  # a FlagReason code (checkins/flags.py)
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["questionnaire", "position"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "key"], name="question_key_unique")]

    def text(self, language: str) -> str:
        return self.text_cy if language.startswith("cy") and self.text_cy else self.text_en

    def choice_list(self, language: str) -> list[tuple[str, str]]:
        welsh = language.startswith("cy")
        return [(c["value"], (c.get("cy") if welsh else None) or c["en"]) for c in self.choices]

    def flags(self, value: object) -> bool:
        """True when this answer should send the check-in to review."""
        values = value if isinstance(value, list) else [value]
        return any(v in self.flag_values for v in values)


class ExtraQuestion(models.Model):
    """A practitioner's own question for a person's next check-in (up to 3 waiting at a time)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="checkin_extra_questions")
    text = models.CharField(max_length=300)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    checkin = models.ForeignKey(
        "CheckIn", null=True, blank=True, on_delete=models.SET_NULL, related_name="extra_questions"
    )

    class Meta:
        ordering = ["created_at"]


class State(models.TextChoices):
    CREATED = "created", _("Waiting for the person")
    SUBMITTED = "submitted", _("Waiting for review")
    REVIEWED = "reviewed", _("Reviewed")
    EXPIRED = "expired", _("Missed")
    CLOSED = "closed", _("Missed, closed")
    CANCELLED = "cancelled", _("Cancelled")


TRANSITIONS: dict[str, frozenset[str]] = {
    State.CREATED: frozenset({State.SUBMITTED, State.EXPIRED, State.CANCELLED}),
    State.SUBMITTED: frozenset({State.REVIEWED, State.CANCELLED}),
    State.EXPIRED: frozenset({State.CLOSED}),
    State.REVIEWED: frozenset(),
    State.CLOSED: frozenset(),
    State.CANCELLED: frozenset(),
}
REASON_REQUIRED = frozenset({State.CANCELLED, State.CLOSED})
OPEN_STATES = frozenset({State.CREATED})
AWAITING_STAFF_STATES = frozenset({State.SUBMITTED, State.EXPIRED})


class FaceDecision(models.TextChoices):
    MATCH = "match", _("Match")
    REVIEW = "review", _("Needs your judgement")
    NO_MATCH = "no_match", _("No match")
    NO_FACE = "no_face", _("No face found")


# Best first: the check-in keeps the best decision over its attempts.
FACE_DECISION_RANK: dict[str, int] = {
    FaceDecision.MATCH: 0,
    FaceDecision.REVIEW: 1,
    FaceDecision.NO_MATCH: 2,
    FaceDecision.NO_FACE: 3,
}


class LocationVerdict(models.TextChoices):
    AT_ADDRESS = "at_address", _("At their address")
    AWAY = "away", _("Away from their address")
    UNCERTAIN = "uncertain", _("Uncertain")


class CheckInKind(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CURFEW_PROMPT = "curfew_prompt", _("Random curfew check")


class CheckIn(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="checkins")
    # Scheduled ones come one a due date; random curfew checks (asked by onward/curfew) come several a night.
    kind = models.CharField(max_length=15, choices=CheckInKind.choices, default=CheckInKind.SCHEDULED)
    # A random check's name from the app that asked for it: the same name asks once.
    prompt_key = models.CharField(max_length=100, unique=True, null=True, blank=True)
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="checkins")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="checkins")
    due_date = models.DateField()
    state = models.CharField(max_length=12, choices=State.choices, default=State.CREATED, db_index=True)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The browser's key for its submission: a retried submit with the same key returns this one.
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    submitted_anyway = models.BooleanField(default=False)
    face_attempts = models.PositiveSmallIntegerField(default=0)
    face_decision = models.CharField(max_length=10, choices=FaceDecision.choices, blank=True)
    face_distance = models.FloatField(null=True, blank=True)
    liveness_passed = models.BooleanField(null=True, blank=True)
    location_consent = models.BooleanField(default=False)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    accuracy_m = models.FloatField(null=True, blank=True)
    location_verdict = models.CharField(max_length=12, choices=LocationVerdict.choices, blank=True)
    location_line = models.CharField(max_length=200, blank=True)
    flagged = models.BooleanField(default=False, db_index=True)
    flag_reasons = models.JSONField(default=list, blank=True)
    state_reason = models.TextField(blank=True)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    media_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-due_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "due_date"],
                condition=models.Q(kind="scheduled"),
                name="one_checkin_per_person_per_due_date",
            ),
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")), name="checkin_window"),
            models.CheckConstraint(
                condition=~models.Q(state__in=sorted(REASON_REQUIRED)) | ~models.Q(state_reason=""),
                name="checkin_negative_outcome_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["state", "flagged", "submitted_at"])]

    def __str__(self) -> str:
        return f"Check-in {self.pk} ({self.state})"

    def can_move_to(self, state: str) -> bool:
        return state in TRANSITIONS[self.state]

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES and self.opens_at <= timezone.now() < self.closes_at


class Answer(models.Model):
    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    extra_question = models.ForeignKey(ExtraQuestion, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    value = models.JSONField()
    comment = models.TextField(blank=True)
    flagged = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["checkin", "question"], name="one_answer_per_question"),
            models.UniqueConstraint(fields=["checkin", "extra_question"], name="one_answer_per_extra_question"),
            models.CheckConstraint(
                condition=models.Q(question__isnull=False) | models.Q(extra_question__isnull=False),
                name="answer_has_a_question",
            ),
        ]


class MediaKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    VIDEO = "video", _("Video")
    FRAME = "frame", _("Best frame from a check-in")


def _media_path(instance: "CheckInMedia", filename: str) -> str:
    extension = {"image/jpeg": "jpg", "image/png": "png", "video/webm": "webm", "video/mp4": "mp4"}.get(
        instance.content_type, "bin"
    )
    return f"checkins/media/{instance.checkin_id}/{instance.kind}-{timezone.now():%Y%m%d%H%M%S%f}.{extension}"


class CheckInMedia(models.Model):
    """A photo or video the person sent, or a best frame taken from one. Private: served only by a checked view."""

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(max_length=10, choices=MediaKind.choices)
    source = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="frames")
    file = models.FileField(upload_to=_media_path, blank=True)
    content_type = models.CharField(max_length=50)
    size_bytes = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    attempt = models.PositiveSmallIntegerField(default=1)
    challenge = models.CharField(max_length=20, blank=True)  # before issue 13: the one move asked
    # The challenge the clip was recorded for (liveness.Challenge.to_dict), its nonce, and when the
    # phone says recording started (kept as evidence; the server's own clock decides).
    challenge_data = models.JSONField(default=dict, blank=True)
    challenge_nonce = models.CharField(max_length=64, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    # A 64-bit perceptual hash (dHash, 16 hex digits) of the picture, and an earlier upload this one
    # repeats exactly (the same SHA-256) or nearly (a perceptual hash a few bits away), if any.
    perceptual_hash = models.CharField(max_length=16, blank=True)
    seen_before = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="seen_again")
    uploaded_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["checkin", "uploaded_at"]
        indexes = [models.Index(fields=["sha256"])]


class MediaFingerprint(models.Model):
    """One quarter (16 bits) of a media's perceptual hash, so near-duplicates are found by an index.

    Two hashes at most 3 bits apart share at least one quarter exactly; those candidates are then
    compared bit by bit (services._seen_before)."""

    media = models.ForeignKey(CheckInMedia, on_delete=models.CASCADE, related_name="fingerprints")
    band = models.PositiveSmallIntegerField()
    value = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["band", "value"])]


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("Checking")
    DONE = "done", _("Checked")
    FAILED = "failed", _("Could not be checked")


class Verification(models.Model):
    """What the engines said about one photo or video: evidence, kept with its scores and versions."""

    media = models.OneToOneField(CheckInMedia, on_delete=models.CASCADE, related_name="verification")
    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="verifications")
    status = models.CharField(max_length=10, choices=VerificationStatus.choices, default=VerificationStatus.PENDING)
    distance = models.FloatField(null=True, blank=True)
    decision = models.CharField(max_length=10, choices=FaceDecision.choices, blank=True)
    engine = models.CharField(max_length=100, blank=True)
    model_version = models.CharField(max_length=100, blank=True)
    frames_with_face = models.PositiveIntegerField(default=0)
    frames_checked = models.PositiveIntegerField(default=0)
    liveness_checked = models.BooleanField(default=False)
    liveness_passed = models.BooleanField(null=True, blank=True)
    liveness_reason = models.CharField(max_length=50, blank=True)
    liveness_message = models.CharField(max_length=300, blank=True)
    yaw_start_deg = models.FloatField(null=True, blank=True)
    yaw_peak_deg = models.FloatField(null=True, blank=True)
    challenge = models.CharField(max_length=20, blank=True)
    # What the reviewer sees of the liveness check: each step with its result, the colour trace, the
    # 3D measure (liveness.LivenessOutcome.details()), and the checker's name and version for reports.
    liveness_details = models.JSONField(default=dict, blank=True)
    liveness_engine = models.CharField(max_length=100, blank=True)
    liveness_model_version = models.CharField(max_length=200, blank=True)
    media_problem = models.CharField(max_length=50, blank=True)
    message = models.CharField(max_length=300, blank=True)
    timings_ms = models.JSONField(default=dict, blank=True)
    location_line = models.CharField(max_length=200, blank=True)
    # The clip's sound track against the enrolled voice; "retry" means nothing was compared.
    voice_checked = models.BooleanField(default=False)
    voice_decision = models.CharField(max_length=10, blank=True)  # match | review | no_match | retry
    voice_similarity = models.FloatField(null=True, blank=True)
    voice_reason = models.CharField(max_length=50, blank=True)
    voice_message = models.CharField(max_length=300, blank=True)
    voice_speech_seconds = models.FloatField(null=True, blank=True)
    voice_engine = models.CharField(max_length=100, blank=True)
    voice_model_version = models.CharField(max_length=200, blank=True)
    # The number read aloud: digits_expected, digits_heard, digits_passed, recogniser (name and version).
    voice_details = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When a worker took it (a run claims it by setting this), and when the sweep queued it again after a
    # worker died: a second death fails it plainly and gives the person their try back.
    started_at = models.DateTimeField(null=True, blank=True)
    requeued_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)


class ReviewDecision(models.TextChoices):
    MATCH = "match", _("Match")
    NO_MATCH = "no_match", _("No match")
    MATCH_WITH_CONCERN = "match_with_concern", _("Match, with a concern")


class HelpedManageRisk(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_SURE = "not_sure", _("Not sure")


class Review(models.Model):
    """The practitioner's own decision. Automated checks inform it; they never replace it.

    After the decision the practitioner may mark the notes as sensitive (left out of the person's own
    export) and say whether the check-in helped manage risk: plain fields, counted by month for reports.
    """

    checkin = models.OneToOneField(CheckIn, on_delete=models.CASCADE, related_name="review")
    decision = models.CharField(max_length=20, choices=ReviewDecision.choices)
    notes = models.TextField(blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(default=timezone.now)
    sensitive = models.BooleanField(default=False)
    helped_manage_risk = models.CharField(max_length=10, choices=HelpedManageRisk.choices, blank=True)
    follow_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    follow_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Reports count answers by month of review: a range on reviewed_at, grouped by the answer.
        indexes = [models.Index(fields=["reviewed_at", "helped_manage_risk"], name="review_month_helped")]


# --- Suitability for remote check-ins (issue 17) ---------------------------------------------------


class MappaLevel(models.TextChoices):
    NONE = "none", _("Not managed under MAPPA")
    LEVEL_1 = "1", _("Level 1")
    LEVEL_2 = "2", _("Level 2")
    LEVEL_3 = "3", _("Level 3")


class Suitability(models.TextChoices):
    SUITABLE = "suitable", _("Suitable")
    SUPPLEMENT_ONLY = "supplement_only", _("Supplement only: alongside face-to-face contact, never instead of it")
    NOT_SUITABLE = "not_suitable", _("Not suitable")


class SuitabilityScreen(models.Model):
    """The answers of one suitability screen, the outcome they give (onward/checkins/suitability.py) and
    its approval by a senior practitioner. Screens are never changed: a new screen replaces the latest
    one for the gate, and the history stays."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="checkin_screens")
    very_high_rosh = models.BooleanField()
    mappa_level = models.CharField(max_length=4, choices=MappaLevel.choices)
    domestic_abuse = models.BooleanField()
    sexual_offending = models.BooleanField()
    youth_case = models.BooleanField()
    child_protection = models.BooleanField()
    rationale = models.TextField()
    outcome = models.CharField(max_length=20, choices=Suitability.choices)
    reasons = models.JSONField(default=list, blank=True)  # the rule codes that limited the outcome
    rules_version = models.CharField(max_length=20)
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    screened_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_rationale = models.TextField(blank=True)

    class Meta:
        ordering = ["-screened_at", "-pk"]
        indexes = [models.Index(fields=["person", "-screened_at"], name="checkin_screen_latest")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(rationale=""), name="checkin_screen_rationale_given"),
            models.CheckConstraint(
                condition=models.Q(approved_at__isnull=True) | ~models.Q(approval_rationale=""),
                name="checkin_screen_approval_rationale_given",
            ),
        ]

    def __str__(self) -> str:
        return f"Check-in suitability screen {self.pk} for person {self.person_id} ({self.outcome})"

    @property
    def approved(self) -> bool:
        return self.approved_at is not None
