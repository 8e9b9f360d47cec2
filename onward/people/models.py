"""One Person record from reception to the end of supervision."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

prison_number_validator = RegexValidator(
    r"^[A-Z][0-9]{4}[A-Z]{2}$", _("Enter a prison number in the right format, like A1234BC.")
)
crn_validator = RegexValidator(
    r"^[A-Z][0-9]{6}$", _("Enter a case reference number in the right format, like X123456.")
)


class Status(models.TextChoices):
    REMAND = "remand", _("On remand")
    SENTENCED = "sentenced", _("Sentenced")
    HDC = "hdc", _("Home detention curfew")
    LICENCE = "licence", _("On licence")
    COMMUNITY_ORDER = "community_order", _("Community order")
    ENDED = "ended", _("Supervision ended")


CUSTODY_STATUSES = frozenset({Status.REMAND, Status.SENTENCED})
COMMUNITY_STATUSES = frozenset({Status.HDC, Status.LICENCE, Status.COMMUNITY_ORDER})
RELEASE_STATUSES = frozenset({Status.HDC, Status.LICENCE})


@dataclass(frozen=True)
class Offers:
    """What Onward offers a person, by where they are (`Person.offers`): every page asks this, not the status.

    In custody a person has no phone of their own (they use the prison's tablets), so nothing that needs
    one is offered: where their phone is now, notifications or a calendar on their phone, remote
    check-ins. In the community all of it is; check-ins only while they are supervised there.
    """

    phone_location: bool
    phone_calendar: bool
    phone_notifications: bool
    checkins: bool
    outside_links: bool  # phone numbers, websites and emails as links (in custody they stay plain text)

    @classmethod
    def for_status(cls, status: str) -> "Offers":
        own_phone = status not in CUSTODY_STATUSES
        return cls(
            phone_location=own_phone,
            phone_calendar=own_phone,
            phone_notifications=own_phone,
            checkins=status in COMMUNITY_STATUSES,
            outside_links=own_phone,
        )


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    VERY_HIGH = "very_high", _("Very high")


class Language(models.TextChoices):
    ENGLISH = "en-gb", "English"
    WELSH = "cy", "Cymraeg"


class Person(models.Model):
    prison_number = models.CharField(
        max_length=7, unique=True, null=True, blank=True, validators=[prison_number_validator]
    )
    crn = models.CharField(
        _("case reference number"), max_length=7, unique=True, null=True, blank=True, validators=[crn_validator]
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    preferred_language = models.CharField(max_length=5, choices=Language.choices, default=Language.ENGLISH)
    photo = models.FileField(upload_to="people/photos/", blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, db_index=True)
    # In custody: the wing or unit. In the community: the probation office or PDU supervising them.
    unit = models.ForeignKey("organisations.OrgUnit", on_delete=models.PROTECT, related_name="people")
    # The whole address as one text (lines and postcode, one a line), kept in step with the parts below.
    address = models.TextField(blank=True)
    address_line_1 = models.CharField(max_length=100, blank=True)
    address_line_2 = models.CharField(max_length=100, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    # WGS84, for checking check-in location fixes against the address (null when not geocoded).
    address_latitude = models.FloatField(null=True, blank=True)
    address_longitude = models.FloatField(null=True, blank=True)
    # How far the stored position may be from the door, in metres (null: unknown, e.g. placed by hand).
    address_precision_m = models.PositiveIntegerField(null=True, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    # Reminders and codes go only to a contact the person has shown is theirs (a code sent to it, or in person).
    phone_verified_at = models.DateTimeField(null=True, blank=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, default=RiskLevel.LOW)

    sentence_date = models.DateField(null=True, blank=True)
    conditional_release_date = models.DateField(null=True, blank=True, db_index=True)
    hdc_eligibility_date = models.DateField(null=True, blank=True)
    hdc_actual_date = models.DateField(null=True, blank=True)
    rotl_eligibility_date = models.DateField(null=True, blank=True)
    parole_eligibility_date = models.DateField(null=True, blank=True)
    release_date = models.DateField(null=True, blank=True)
    licence_expiry_date = models.DateField(null=True, blank=True)
    sentence_expiry_date = models.DateField(null=True, blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(prison_number__isnull=False) | models.Q(crn__isnull=False),
                name="person_has_identifier",
            )
        ]
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def in_custody(self) -> bool:
        return self.status in CUSTODY_STATUSES

    @property
    def offers(self) -> Offers:
        """What this person is offered where they are now (in custody or in the community); see `Offers`."""
        return Offers.for_status(self.status)

    @property
    def phone_verified(self) -> bool:
        return bool(self.phone) and self.phone_verified_at is not None

    @property
    def email_verified(self) -> bool:
        return bool(self.email) and self.email_verified_at is not None

    @property
    def address_lines(self) -> list[str]:
        return [line for line in (self.address_line_1, self.address_line_2, self.town, self.postcode) if line]

    @property
    def reference(self) -> str:
        return self.prison_number or self.crn or ""

    def next_key_date(self, today: date | None = None) -> tuple[str, date] | None:
        """The soonest date still to come that matters to the person, with its plain name."""
        today = today or timezone.localdate()
        custody_dates = [
            (_("Home detention curfew eligibility"), self.hdc_eligibility_date),
            (_("Release date"), self.conditional_release_date),
        ]
        candidates = [
            *(custody_dates if self.in_custody else []),  # after release these have passed or no longer apply
            (_("Licence ends"), self.licence_expiry_date),
            (_("Sentence ends"), self.sentence_expiry_date),
        ]
        future = [(str(label), d) for label, d in candidates if d is not None and d >= today]
        return min(future, key=lambda item: item[1]) if future else None


class ContactChannel(models.TextChoices):
    SMS = "sms", _("Mobile phone")
    EMAIL = "email", _("Email")


class ContactCode(models.Model):
    """A code sent to a phone number or email to show it is the person's. Stored only as a keyed digest."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contact_codes")
    channel = models.CharField(max_length=5, choices=ContactChannel.choices)
    address = models.CharField(max_length=254)
    code_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["person", "channel", "created_at"])]


class AssignmentRole(models.TextChoices):
    KEY_WORKER = "key_worker", _("Key worker")
    POM = "pom", _("Prison offender manager")
    PRACTITIONER = "practitioner", _("Probation practitioner")


class StaffAssignment(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assignments")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(max_length=20, choices=AssignmentRole.choices)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "role"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_assignment_per_role",
            )
        ]


class ConditionKind(models.TextChoices):
    STANDARD = "standard", _("Standard")
    ADDITIONAL = "additional", _("Additional")


class LicenceVersion(models.Model):
    """A version of a person's licence conditions. The person confirms each new version."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="licence_versions")
    number = models.PositiveIntegerField()
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["person", "-number"]
        constraints = [models.UniqueConstraint(fields=["person", "number"], name="licence_version_unique")]


class ConditionType(models.Model):
    """A licence condition from the catalogue (see licence_catalogue.py): its words and their meaning."""

    code = models.SlugField(max_length=40, unique=True)
    kind = models.CharField(max_length=10, choices=ConditionKind.choices)
    wording = models.TextField()
    explanation = models.TextField()
    wording_cy = models.TextField(blank=True)
    explanation_cy = models.TextField(blank=True)
    details_label = models.CharField(max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.code


class LicenceCondition(models.Model):
    """One condition of one issued version: a copy of its words, so later catalogue edits change nothing."""

    version = models.ForeignKey(LicenceVersion, on_delete=models.CASCADE, related_name="conditions")
    kind = models.CharField(max_length=10, choices=ConditionKind.choices)
    condition_type = models.ForeignKey(ConditionType, null=True, blank=True, on_delete=models.PROTECT)
    text = models.TextField(help_text=_("The condition in plain words."))
    details = models.TextField(blank=True)
    explanation = models.TextField(blank=True)
    text_cy = models.TextField(blank=True)
    explanation_cy = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "position"]

    def text_in(self, language: str) -> str:
        """The condition's words in this language where we have them, else English."""
        return self.text_cy if language == "cy" and self.text_cy else self.text

    def explanation_in(self, language: str) -> str:
        return self.explanation_cy if language == "cy" and self.explanation_cy else self.explanation


class ImportUpload(models.Model):
    """A checked file of people waiting for its uploader to confirm the import, kept until it expires.

    The confirmation imports exactly these bytes, and only if the import would still write what the
    preview showed (`digest`). Deleted when confirmed, and by the retention job once expired.
    """

    key = models.CharField(max_length=64, unique=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    # What the check found: counts, digest of the writes, and the first changes, for the preview page.
    report = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.file_name
