"""Curfew and zones as data, the location fixes that are judged against them, and what the judging found.

`CurfewTerms` is the curfew and the zones set with one licence version: its windows (one a night of the
week, London time), its approved variations for single nights, and its zones (GeoJSON in WGS84, with the
same shape on the British National Grid kept beside it for the maths). The terms in force at an instant
are those of the latest version issued by then.

`LocationFix` rows come from phones, tags and check-ins (`POST /api/v1/location/fixes`), one per device
and time. Each keeps its verdicts. A `Violation` is sustained evidence of being where the licence says
not to be (or away during curfew); it raises an alert for a practitioner and never records a breach by
itself. A `SpoofFlag` is a reason to doubt a fix.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CurfewTerms(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="curfew_terms")
    licence_version = models.OneToOneField(
        "people.LicenceVersion", on_delete=models.CASCADE, related_name="curfew_terms"
    )
    # The curfew address as written on the licence, and where it is (WGS84); blank when there is no curfew.
    address = models.TextField(blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    issued_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # The windows and zones again, as the evaluation reads them in one query (written once with the rows;
    # terms are never edited, a change is a new licence version). See `terms_snapshot` in services.py.
    snapshot = models.JSONField(default=dict, editable=False)

    class Meta:
        ordering = ["person", "-issued_at"]
        verbose_name_plural = "curfew terms"

    def __str__(self) -> str:
        return f"Curfew terms of licence version {self.licence_version_id}"


class CurfewWindow(models.Model):
    """Curfew on the night that starts on this weekday, London time; an end at or before the start is next morning."""

    terms = models.ForeignKey(CurfewTerms, on_delete=models.CASCADE, related_name="windows")
    weekday = models.PositiveSmallIntegerField(help_text=_("Monday is 0, Sunday is 6."))
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["terms", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["terms", "weekday"], name="curfew_window_one_a_night"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="curfew_window_weekday"),
            models.CheckConstraint(condition=~Q(start=models.F("end")), name="curfew_window_not_empty"),
        ]


class VariationState(models.TextChoices):
    APPROVED = "approved", _("Approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CurfewVariation(models.Model):
    """A practitioner's approved change to one night's curfew (a late shift), or a night without one."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="curfew_variations")
    night = models.DateField(help_text=_("The date the night's curfew starts."))
    start = models.TimeField(null=True, blank=True)
    end = models.TimeField(null=True, blank=True)
    reason = models.TextField()
    state = models.CharField(max_length=10, choices=VariationState.choices, default=VariationState.APPROVED)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(default=timezone.now)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["person", "night"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "night"],
                condition=Q(state="approved"),
                name="curfew_variation_one_approved_a_night",
            ),
            models.CheckConstraint(
                condition=(Q(start__isnull=True) & Q(end__isnull=True))
                | (Q(start__isnull=False) & Q(end__isnull=False)),
                name="curfew_variation_both_times_or_none",
            ),
        ]


class ZoneKind(models.TextChoices):
    INCLUSION = "inclusion", _("Must stay inside")
    EXCLUSION = "exclusion", _("Must keep out")


class ZoneApplies(models.TextChoices):
    ALWAYS = "always", _("At all times")
    CURFEW = "curfew", _("During curfew hours")


class Zone(models.Model):
    terms = models.ForeignKey(CurfewTerms, on_delete=models.CASCADE, related_name="zones")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="zones")
    kind = models.CharField(max_length=10, choices=ZoneKind.choices)
    applies = models.CharField(max_length=10, choices=ZoneApplies.choices, default=ZoneApplies.ALWAYS)
    # For staff only (it may name a victim's street); the person sees `description`.
    label = models.CharField(max_length=200)
    # What the person is told, in plain words, never a point: e.g. "The streets inside the ring road in Leeds".
    description = models.CharField(max_length=300)
    description_cy = models.CharField(max_length=300, blank=True)
    # The record: a GeoJSON Feature in WGS84 (a polygon, or a point with properties.radius_m).
    geojson = models.JSONField()
    # The same shape on the British National Grid (WKB) and its radius (0 for a polygon), for the maths.
    bng_wkb = models.BinaryField(editable=False)
    radius_m = models.FloatField(default=0)
    is_curfew_address = models.BooleanField(default=False)

    class Meta:
        ordering = ["terms", "pk"]
        indexes = [models.Index(fields=["person", "terms"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label}"

    def description_in(self, language: str) -> str:
        return self.description_cy if language == "cy" and self.description_cy else self.description


class FixSource(models.TextChoices):
    GPS = "gps", _("GPS")
    NETWORK = "network", _("Network")
    FUSED = "fused", _("Phone's best guess")
    CHECKIN = "checkin", _("Check-in")
    TAG = "tag", _("Tag")
    OTHER = "other", _("Other")


class LocationFix(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="location_fixes")
    device = models.CharField(max_length=64)
    recorded_at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)
    latitude = models.FloatField()
    longitude = models.FloatField()
    accuracy_m = models.FloatField()
    source = models.CharField(max_length=10, choices=FixSource.choices)
    mock_location = models.BooleanField(null=True)
    developer_mode = models.BooleanField(null=True)
    ip_country = models.CharField(max_length=2, blank=True)
    # What the evaluation found: the verdict per zone id ("inside", "outside", "uncertain"), in curfew or not,
    # and whether the fix is certain evidence against a zone or the curfew.
    # The night of the curfew the fix fell in (null: not in curfew hours).
    curfew_night = models.DateField(null=True, blank=True)
    verdicts = models.JSONField(default=dict)
    against = models.BooleanField(default=False)

    class Meta:
        ordering = ["person", "recorded_at"]
        # One index serves both the uniqueness and the reads of a person's fixes by time.
        constraints = [
            models.UniqueConstraint(
                fields=["person", "recorded_at", "device"], name="location_fix_once_per_device_time"
            )
        ]


class SpoofKind(models.TextChoices):
    IMPOSSIBLE_SPEED = "impossible_speed", _("Moved faster than anyone could travel")
    ACCURACY_TOO_GOOD = "accuracy_too_good", _("Accuracy too good to be true")
    MOCK_LOCATION = "mock_location", _("The phone said its location was faked")
    DEVELOPER_MODE = "developer_mode", _("The phone is in developer mode")
    EXACT_REPEAT = "exact_repeat", _("The same position repeated exactly")
    IP_COUNTRY = "ip_country", _("Sent from an internet address outside the UK")


class SpoofFlag(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="spoof_flags")
    fix = models.ForeignKey(LocationFix, on_delete=models.CASCADE, related_name="spoof_flags")
    kind = models.CharField(max_length=20, choices=SpoofKind.choices)
    detail = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person", "created_at"]
        constraints = [models.UniqueConstraint(fields=["fix", "kind"], name="spoof_flag_once_per_fix")]


class ViolationKind(models.TextChoices):
    CURFEW = "curfew", _("Away from the curfew address during curfew")
    EXCLUSION = "exclusion", _("Inside an exclusion zone")
    INCLUSION = "inclusion", _("Outside an inclusion zone")


class Violation(models.Model):
    """Sustained evidence against one zone or the curfew, from its first fix to the fix that ended it."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="violations")
    kind = models.CharField(max_length=10, choices=ViolationKind.choices)
    zone = models.ForeignKey(Zone, null=True, blank=True, on_delete=models.SET_NULL, related_name="violations")
    # What it is about, stable across out-of-order fixes: "curfew" or "zone:<id>".
    subject = models.CharField(max_length=40)
    started_at = models.DateTimeField()
    last_evidence_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    fixes = models.PositiveIntegerField(default=0)
    alert = models.ForeignKey("alerts.Alert", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The thresholds in force when it opened (for the evidence pack).
    thresholds = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person", "started_at"]
        indexes = [models.Index(fields=["person", "subject", "started_at"])]

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class RandomCheckins(models.Model):
    """How many random check-ins a person is asked for in each night's curfew (0: none)."""

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="random_checkins")
    per_night = models.PositiveSmallIntegerField(default=0)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)


class PromptState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Not sent")


class CurfewPrompt(models.Model):
    """One random check-in planned inside a night's curfew; at its time it becomes a check-in (onward/checkins)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="curfew_prompts")
    night = models.DateField()
    due_at = models.DateTimeField(db_index=True)
    state = models.CharField(max_length=10, choices=PromptState.choices, default=PromptState.PLANNED)
    checkin = models.ForeignKey(
        "checkins.CheckIn", null=True, blank=True, on_delete=models.SET_NULL, related_name="curfew_prompts"
    )
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person", "due_at"]
        constraints = [models.UniqueConstraint(fields=["person", "due_at"], name="curfew_prompt_once_a_time")]
        indexes = [models.Index(fields=["state", "due_at"])]
