"""Accounts: staff and people under supervision, their roles, and the ways they sign in."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onward.core.actors import UserKind


class User(AbstractUser):
    """Staff sign in with email (their username); a person's account is tied to their Person record."""

    kind = models.CharField(max_length=10, choices=UserKind.choices, default=UserKind.STAFF)
    person = models.OneToOneField(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="account"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="person", person__isnull=False) | models.Q(kind="staff", person__isnull=True)),
                name="user_kind_matches_person",
            )
        ]

    @property
    def is_person(self) -> bool:
        return self.kind == UserKind.PERSON

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class PinCredential(models.Model):
    """A person in custody signs in on a shared device with prison number and PIN."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pin")
    pin_hash = models.CharField(max_length=200)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    # Kept for records made before PINs waited instead of locking; nothing locks a PIN now.
    locked_at = models.DateTimeField(null=True, blank=True)
    # After PERSON_PIN_FAILURE_LIMIT wrong tries in a row, each further try waits longer (never a hard lock).
    wait_until = models.DateTimeField(null=True, blank=True)
    set_at = models.DateTimeField(default=timezone.now)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    @property
    def is_locked(self) -> bool:
        """Waiting after wrong tries (shown to staff on the record)."""
        return self.wait_until is not None and self.wait_until > timezone.now()


class ActivationCode(models.Model):
    """Printed by staff before release: single use, expires after ACTIVATION_CODE_DAYS."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activation_codes")
    code_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)


class OneTimeCode(models.Model):
    """A short code sent to a person's phone or email for one sign-in."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="one_time_codes")
    code_digest = models.CharField(max_length=64)
    channel = models.CharField(max_length=10)  # sms | email
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)


class SignInMethod(models.TextChoices):
    STAFF_PASSWORD = "staff_password", _("Staff password")
    STAFF_TOTP = "staff_totp", _("Staff authenticator code")
    PIN = "pin", _("Prison number and PIN")
    ONE_TIME_CODE = "one_time_code", _("One-time code")
    ACTIVATION_CODE = "activation_code", _("Activation code")
    DEVICE_TOKEN = "device_token", _("Device token")
    LINK = "link", _("Link and date of birth")


class SignInAttempt(models.Model):
    """Every sign-in attempt, success or failure. The identifier is what was typed, never a name."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    method = models.CharField(max_length=20, choices=SignInMethod.choices)
    identifier = models.CharField(max_length=254, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    succeeded = models.BooleanField()
    reason = models.CharField(max_length=40, blank=True)
    ip_address = models.GenericIPAddressField(null=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at"]


class DeviceToken(models.Model):
    """A revocable bearer token for a person's phone or tablet. Only digests are stored.

    The device has a lifetime from `created_at` and an idle limit from `last_used_at` (shorter in custody).
    Its secret is replaced as it is used (see `device_token_use`): the one before stays valid until
    `previous_valid_until`, so calls already in flight, or an answer the app never received, lose nothing.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="device_tokens")
    name = models.CharField(max_length=100)
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    secret_issued_at = models.DateTimeField(default=timezone.now)
    generation = models.PositiveIntegerField(default=0)
    previous_digest = models.CharField(max_length=64, blank=True, db_index=True)
    previous_valid_until = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class SignInLink(models.Model):
    """A link sent to a person (a check-in invitation): with their date of birth, it signs them in.

    It works until it expires, as often as needed, and locks after too many wrong dates of birth.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_in_links")
    token_digest = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(max_length=40)
    next_url = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)


class AuthenticatorEnrolment(models.Model):
    """An administrator lets a member of staff set up their authenticator app: one use, soon expired.

    Without one, knowing a new account's password is not enough to choose its second factor.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="authenticator_enrolments"
    )
    code_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
