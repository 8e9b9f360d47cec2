"""Sign-in and credentials. Every attempt, success or failure, is written to SignInAttempt."""

import base64
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onward.accounts.actors import PersonUser, StaffUser
from onward.accounts.events import SignInCodeIssued
from onward.accounts.models import (
    ActivationCode,
    AuthenticatorEnrolment,
    DeviceToken,
    OneTimeCode,
    PinCredential,
    SignInAttempt,
    SignInLink,
    SignInMethod,
    User,
)
from onward.audit.services import audit_record
from onward.core.actors import UserKind
from onward.core.audit_actions import AuditAction
from onward.core.context import current_request_context
from onward.core.events import announce
from onward.core.permissions import require
from onward.core.throttle import (
    address_in_networks,
    cool_down_remaining,
    cool_down_start,
    window_count,
    window_hit,
    window_seconds_left,
)
from onward.people.models import COMMUNITY_STATUSES, CUSTODY_STATUSES, Person
from onward.people.rules import acting_role

# Activation codes avoid letters and digits that look alike (0/O, 1/I/L).
ACTIVATION_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ACTIVATION_CODE_LENGTH = 10
PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 6

SIGN_IN_LINK_BATCH_SIZE = 500


class SignInRefused(Exception):
    """A sign-in that did not work, with words the person can act on."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


def sign_in_attempt_record(
    *, method: str, identifier: str, succeeded: bool, user: Any = None, reason: str = ""
) -> SignInAttempt:
    ctx = current_request_context()
    return SignInAttempt.objects.create(
        method=method,
        identifier=identifier[:254],
        user=user if user is not None and getattr(user, "pk", None) else None,
        succeeded=succeeded,
        reason=reason,
        ip_address=ctx.ip_address,
        request_id=ctx.request_id,
    )


def code_digest(purpose: str, code: str) -> str:
    """A keyed digest of a short code, so a stolen database does not reveal live codes."""
    normalised = code.strip().upper().replace("-", "").replace(" ", "")
    return salted_hmac(f"onward.accounts.{purpose}", normalised).hexdigest()


# --- People in custody: prison number and PIN --------------------------------------------------


def person_pin_sign_in(*, prison_number: str, pin: str) -> User:
    """Check a prison number and PIN.

    After PERSON_PIN_FAILURE_LIMIT wrong tries in a row, each further try must wait, twice as long each
    time up to PERSON_PIN_WAIT_MAX_MINUTES: guessing stays slow, and nobody can lock a person out for
    long by typing their prison number. Too many wrong tries from one network address stop that address.
    """
    address_wait = sign_in_address_wait()
    if address_wait:
        sign_in_attempt_record(
            method=SignInMethod.PIN, identifier=prison_number.strip().upper(), succeeded=False, reason="address_limit"
        )
        raise _address_limited_error(address_wait)
    with transaction.atomic():
        user, refusal = _pin_check(prison_number.strip().upper(), pin)
    # Raised after the commit, so the count of wrong tries and the record of the attempt are kept.
    if refusal is not None:
        if refusal.reason in ("wrong_credentials", "waiting"):
            sign_in_address_failed()
        raise refusal
    assert user is not None
    return user


def _pin_check(prison_number: str, pin: str) -> tuple[User | None, SignInRefused | None]:
    wrong = SignInRefused(_("The prison number or PIN is not right. Check them and try again."), "wrong_credentials")
    credential = (
        PinCredential.objects.select_for_update(of=("self",))
        .select_related("user__person")
        .filter(user__person__prison_number=prison_number, user__kind=UserKind.PERSON)
        .first()
    )
    if credential is None or not credential.user.is_active:
        make_password(pin)  # same work as a real check, so timing does not reveal who exists
        sign_in_attempt_record(method=SignInMethod.PIN, identifier=prison_number, succeeded=False, reason="unknown")
        return None, wrong
    user = credential.user
    now = timezone.now()
    if credential.wait_until is not None and credential.wait_until > now:
        sign_in_attempt_record(
            method=SignInMethod.PIN, identifier=prison_number, user=user, succeeded=False, reason="waiting"
        )
        return None, _pin_wait_error(credential.wait_until - now)
    if user.person is None or user.person.status not in CUSTODY_STATUSES:
        sign_in_attempt_record(
            method=SignInMethod.PIN, identifier=prison_number, user=user, succeeded=False, reason="not_in_custody"
        )
        return None, wrong
    if not check_password(pin, credential.pin_hash):
        credential.failed_attempts = F("failed_attempts") + 1
        credential.save(update_fields=["failed_attempts"])
        credential.refresh_from_db(fields=["failed_attempts"])
        beyond = credential.failed_attempts - settings.PERSON_PIN_FAILURE_LIMIT
        wait = pin_wait_after(credential.failed_attempts)
        if wait:
            credential.wait_until = now + wait
            credential.save(update_fields=["wait_until"])
            if beyond == 0:
                audit_record(actor=None, action=AuditAction.ACCOUNT_PIN_LOCKED, person=user.person, target=credential)
        sign_in_attempt_record(
            method=SignInMethod.PIN,
            identifier=prison_number,
            user=user,
            succeeded=False,
            reason="wait_now" if wait else "wrong_pin",
        )
        return None, (_pin_wait_error(wait) if wait else wrong)
    credential.failed_attempts = 0
    credential.wait_until = None
    credential.save(update_fields=["failed_attempts", "wait_until"])
    sign_in_attempt_record(method=SignInMethod.PIN, identifier=prison_number, user=user, succeeded=True)
    return user, None


def pin_wait_after(failed_attempts: int) -> timedelta:
    """How long the next try must wait after this many wrong PINs in a row (nothing below the limit)."""
    beyond = failed_attempts - settings.PERSON_PIN_FAILURE_LIMIT
    if beyond < 0:
        return timedelta(0)
    minutes = min(settings.PERSON_PIN_WAIT_FIRST_MINUTES * 2 ** min(beyond, 20), settings.PERSON_PIN_WAIT_MAX_MINUTES)
    return timedelta(minutes=minutes)


def _pin_wait_error(wait: timedelta) -> SignInRefused:
    minutes = max(1, -(-int(wait.total_seconds()) // 60))
    return SignInRefused(
        ngettext(
            "The PIN was wrong too many times. Wait %(minutes)s minute and try again, "
            "or ask a member of staff to reset it.",
            "The PIN was wrong too many times. Wait %(minutes)s minutes and try again, "
            "or ask a member of staff to reset it.",
            minutes,
        )
        % {"minutes": minutes},
        "waiting",
    )


# --- Limits by network address (every sign-in method) ------------------------------------------


def _address_limit(address: str | None) -> int:
    if address_in_networks(address, settings.SIGN_IN_SHARED_NETWORKS):
        return int(settings.SIGN_IN_SHARED_ADDRESS_FAILURE_LIMIT)
    return int(settings.SIGN_IN_ADDRESS_FAILURE_LIMIT)


def sign_in_address_wait() -> int:
    """Seconds the current request's address must wait after too many wrong tries; 0 if it may try.

    Shared prison and probation networks (SIGN_IN_SHARED_NETWORKS) have the higher limit. Calls with no
    address (commands, jobs) are not limited here.
    """
    address = current_request_context().ip_address
    if not address:
        return 0
    window = settings.SIGN_IN_ADDRESS_WINDOW_MINUTES * 60
    if window_count("sign-in-address", address, window) < _address_limit(address):
        return 0
    return window_seconds_left(window)


def sign_in_address_failed() -> None:
    """Count one wrong PIN, password or code from the current request's address."""
    address = current_request_context().ip_address
    if address:
        window_hit("sign-in-address", address, settings.SIGN_IN_ADDRESS_WINDOW_MINUTES * 60)


def _address_check() -> None:
    """Refuse at once when the current request's address has made too many wrong tries."""
    wait = sign_in_address_wait()
    if wait:
        raise _address_limited_error(wait)


def _address_limited_error(seconds: int) -> SignInRefused:
    return SignInRefused(address_limited_message(seconds), "address_limit")


def address_limited_message(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return ngettext(
        "There have been too many wrong tries from this place. Wait %(minutes)s minute and try again.",
        "There have been too many wrong tries from this place. Wait %(minutes)s minutes and try again.",
        minutes,
    ) % {"minutes": minutes}


def person_pin_set(*, actor: StaffUser, person: Person, pin: str, reason: str = "") -> PinCredential:
    """Staff set or reset a person's PIN; this also unlocks it."""
    require(actor, "person.reset_pin", person)
    if not (pin.isdigit() and PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS):
        raise ValueError(_("A PIN is 4 to 6 numbers."))
    with transaction.atomic():
        user = person_account_ensure(person)
        credential, created = PinCredential.objects.update_or_create(
            user=user,
            defaults={
                "pin_hash": make_password(pin),
                "failed_attempts": 0,
                "locked_at": None,
                "wait_until": None,
                "set_at": timezone.now(),
                "set_by": actor,
            },
        )
        audit_record(
            actor=actor,
            role=acting_role(actor, person),
            action=AuditAction.ACCOUNT_PIN_SET if created else AuditAction.ACCOUNT_PIN_RESET,
            person=person,
            target=credential,
            reason=reason,
        )
        if not created:  # whoever knew the old PIN may be signed in: every device and session signs in again
            person_access_end(actor=actor, person=person, reason="PIN reset by staff")
    return credential


def person_account_ensure(person: Person) -> User:
    """The person's one account, made the first time it is needed and kept for life."""
    try:
        return person.account
    except User.DoesNotExist:
        user = User(
            username=f"person-{person.pk}",
            kind=UserKind.PERSON,
            person=person,
            first_name=person.first_name,
            last_name=person.last_name,
        )
        user.set_unusable_password()
        user.save()
        return user


# --- People in the community: activation codes and one-time codes ------------------------------


def activation_code_issue(*, actor: StaffUser, person: Person) -> str:
    """A printed code for first sign-in after release. Returned once, stored only as a digest."""
    require(actor, "person.issue_activation_code", person)
    return activation_code_create(actor=actor, person=person, role=acting_role(actor, person))


def activation_code_create(*, actor: Any, person: Person, role: str) -> str:
    """The code itself, for a caller that has checked permission (the release that asked for a letter)."""
    code = "".join(secrets.choice(ACTIVATION_ALPHABET) for _ in range(ACTIVATION_CODE_LENGTH))
    now = timezone.now()
    with transaction.atomic():
        user = person_account_ensure(person)
        ActivationCode.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
        record = ActivationCode.objects.create(
            user=user,
            code_digest=code_digest("activation", code),
            created_by=actor,
            expires_at=now + timedelta(days=settings.ACTIVATION_CODE_DAYS),
        )
        audit_record(
            actor=actor,
            role=role,
            action=AuditAction.ACCOUNT_ACTIVATION_CODE_ISSUED,
            person=person,
            target=record,
        )
    return f"{code[:5]}-{code[5:]}"


def activation_code_redeem(*, code: str) -> User:
    _address_check()
    with transaction.atomic():
        user, refusal = _activation_check(code)
    if refusal is not None:
        sign_in_address_failed()
        raise refusal
    assert user is not None
    return user


def _activation_check(code: str) -> tuple[User | None, SignInRefused | None]:
    digest = code_digest("activation", code)
    identifier = f"activation:{digest[:12]}"
    record = (
        ActivationCode.objects.select_for_update(of=("self",))
        .select_related("user__person")
        .filter(code_digest=digest)
        .first()
    )
    reason = ""
    if record is None:
        reason = "unknown"
    elif record.used_at is not None:
        reason = "used"
    elif record.revoked_at is not None:
        reason = "revoked"
    elif record.expires_at <= timezone.now():
        reason = "expired"
    elif not record.user.is_active:
        reason = "inactive"
    if reason or record is None:
        sign_in_attempt_record(
            method=SignInMethod.ACTIVATION_CODE,
            identifier=identifier,
            user=record.user if record else None,
            succeeded=False,
            reason=reason,
        )
        message = {
            "expired": _("This activation code has expired. Ask your probation practitioner for a new one."),
            "used": _("This activation code has already been used. Sign in with a code sent to your phone instead."),
        }.get(reason, _("That activation code is not right. Check it and try again."))
        return None, SignInRefused(message, reason)
    record.used_at = timezone.now()
    record.save(update_fields=["used_at"])
    sign_in_attempt_record(method=SignInMethod.ACTIVATION_CODE, identifier=identifier, user=record.user, succeeded=True)
    audit_record(
        actor=record.user, role="person", action=AuditAction.ACCOUNT_ACTIVATED, person=record.user.person, target=record
    )
    return record.user, None


class CodeRequestRefused(Exception):
    """A request for a sign-in code beyond a limit, with words the person can act on."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


def one_time_code_request(*, contact: str) -> None:
    """A person asks for a sign-in code: checked against the limits, then queued for sending.

    The same work whatever the contact: the counters, then one queued task that looks the contact up
    (`one_time_code_send`). So the answer reads the same and takes the same time whether or not the
    number is known. Limits (raising `CodeRequestRefused`): a cool-down between two asks for one
    contact, and per hour a most for one contact, for one network address and for everyone together.
    """
    from onward.accounts.tasks import send_sign_in_code

    contact = contact.strip()
    subject = contact.lower() if "@" in contact else _normalise_phone(contact)
    address = current_request_context().ip_address or ""
    hour = 3600
    cool_down = settings.SIGN_IN_CODE_COOL_DOWN_SECONDS
    wait = cool_down_remaining("sign-in-code-contact", subject, cool_down)
    if wait:
        raise _cool_down_refusal(wait)
    address_limit = (
        settings.SIGN_IN_CODE_SHARED_ADDRESS_PER_HOUR
        if address_in_networks(address, settings.SIGN_IN_SHARED_NETWORKS)
        else settings.SIGN_IN_CODE_PER_ADDRESS_PER_HOUR
    )
    over = [
        reason
        for reason, scope, key, limit in (
            ("contact_limit", "sign-in-code-contact", subject, settings.SIGN_IN_CODE_PER_CONTACT_PER_HOUR),
            ("address_limit", "sign-in-code-address", address, address_limit),
            ("total_limit", "sign-in-code-total", "all", settings.SIGN_IN_CODE_TOTAL_PER_HOUR),
        )
        if window_hit(scope, key, hour) > limit
    ]
    if over:
        minutes = max(1, -(-window_seconds_left(hour) // 60))
        sign_in_attempt_record(
            method=SignInMethod.ONE_TIME_CODE, identifier=_mask(contact), succeeded=False, reason=over[0]
        )
        raise CodeRequestRefused(
            ngettext(
                "Too many codes have been asked for. Wait %(minutes)s minute, then try again.",
                "Too many codes have been asked for. Wait %(minutes)s minutes, then try again.",
                minutes,
            )
            % {"minutes": minutes},
            over[0],
        )
    wait = cool_down_start("sign-in-code-contact", subject, cool_down)
    if wait:  # another ask for the same contact came in at the same moment
        raise _cool_down_refusal(wait)
    send_sign_in_code.enqueue(contact, address)


def _cool_down_refusal(wait: int) -> CodeRequestRefused:
    return CodeRequestRefused(
        ngettext(
            "You asked for a code a moment ago. Wait %(seconds)s second for it to come, then ask again if it has not.",
            "You asked for a code a moment ago. Wait %(seconds)s seconds for it to come, then ask again if it has not.",
            wait,
        )
        % {"seconds": wait},
        "cool_down",
    )


def one_time_code_send(*, contact: str) -> None:
    """Send a sign-in code to a person's phone or email, if it belongs to someone in the community.

    Says nothing about whether the contact is known: the page reads the same either way.
    """
    contact = contact.strip()
    is_email = "@" in contact
    # Only to a contact shown to be the person's: a code to a number nobody checked could reach anyone.
    lookup = (
        {"email__iexact": contact, "email_verified_at__isnull": False}
        if is_email
        else {"phone": _normalise_phone(contact), "phone_verified_at__isnull": False}
    )
    person = Person.objects.filter(status__in=COMMUNITY_STATUSES, **lookup).first()
    account = person_account_ensure(person) if person is not None else None
    if person is None or account is None or not account.is_active:
        sign_in_attempt_record(
            method=SignInMethod.ONE_TIME_CODE, identifier=_mask(contact), succeeded=False, reason="unknown_contact"
        )
        return
    code = f"{secrets.randbelow(1_000_000):06d}"
    now = timezone.now()
    with transaction.atomic():
        OneTimeCode.objects.filter(user=account, used_at__isnull=True).update(used_at=now)
        OneTimeCode.objects.create(
            user=account,
            code_digest=code_digest("otc", code),
            channel="email" if is_email else "sms",
            expires_at=now + timedelta(minutes=settings.ONE_TIME_CODE_MINUTES),
        )
        announce(
            SignInCodeIssued(
                person=person,
                account=account,
                channel="email" if is_email else "sms",
                address=person.email if is_email else person.phone,
                code=code,
                minutes=settings.ONE_TIME_CODE_MINUTES,
            )
        )


def one_time_code_verify(*, contact: str, code: str) -> User:
    _address_check()
    with transaction.atomic():
        user, refusal = _one_time_code_check(contact.strip(), code)
    if refusal is not None:
        sign_in_address_failed()
        raise refusal
    assert user is not None
    return user


def _one_time_code_check(contact: str, code: str) -> tuple[User | None, SignInRefused | None]:
    is_email = "@" in contact
    lookup = (
        {"user__person__email__iexact": contact} if is_email else {"user__person__phone": _normalise_phone(contact)}
    )
    wrong = SignInRefused(_("That code is not right or has run out. Check it, or ask for a new code."), "wrong_code")
    record = (
        OneTimeCode.objects.select_for_update(of=("self",))
        .select_related("user__person")
        .filter(used_at__isnull=True, expires_at__gt=timezone.now(), **lookup)
        .order_by("-created_at")
        .first()
    )
    if record is None:
        sign_in_attempt_record(
            method=SignInMethod.ONE_TIME_CODE, identifier=_mask(contact), succeeded=False, reason="no_live_code"
        )
        return None, wrong
    if record.code_digest != code_digest("otc", code):
        record.failed_attempts += 1
        if record.failed_attempts >= settings.ONE_TIME_CODE_FAILURE_LIMIT:
            record.used_at = timezone.now()  # burnt: too many guesses
        record.save(update_fields=["failed_attempts", "used_at"])
        sign_in_attempt_record(
            method=SignInMethod.ONE_TIME_CODE,
            identifier=_mask(contact),
            user=record.user,
            succeeded=False,
            reason="wrong_code",
        )
        return None, wrong
    record.used_at = timezone.now()
    record.save(update_fields=["used_at"])
    sign_in_attempt_record(
        method=SignInMethod.ONE_TIME_CODE, identifier=_mask(contact), user=record.user, succeeded=True
    )
    return record.user, None


def _normalise_phone(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    if digits.startswith("+44"):
        digits = "0" + digits[3:]
    return digits


def _mask(contact: str) -> str:
    """Enough of a phone number or email to trace an attempt, not enough to read it back."""
    return contact[:3] + "…" + contact[-2:] if len(contact) > 6 else "…"


# --- Device tokens ----------------------------------------------------------------------------

DEVICE_TOKEN_PREFIX = "onw_"  # noqa: S105 - a visible prefix, not a secret
DEVICE_TOKEN_TOUCH_SECONDS = 60  # how stale last_used_at may get before a call writes it


@dataclass(frozen=True)
class IssuedDeviceToken:
    record: DeviceToken
    token: str  # shown once


# --- Staff: authenticator set-up, only with an administrator's code ---------------------------


def authenticator_enrolment_issue(*, actor: StaffUser, user: User) -> str:
    """An administrator lets a member of staff set up (or replace) their authenticator app.

    Returns the code once (only its digest is kept): it works once, within AUTHENTICATOR_ENROLMENT_HOURS,
    and replaces any earlier code not yet used. Knowing a new account's password is never enough.
    """
    require(actor, "admin.site")
    if user.kind != UserKind.STAFF:
        raise ValueError("Authenticator apps are for staff accounts.")
    code = "".join(secrets.choice(ACTIVATION_ALPHABET) for _ in range(ACTIVATION_CODE_LENGTH))
    now = timezone.now()
    with transaction.atomic():
        AuthenticatorEnrolment.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=now
        )
        record = AuthenticatorEnrolment.objects.create(
            user=user,
            code_digest=code_digest("enrolment", code),
            created_by=actor,
            created_at=now,
            expires_at=now + timedelta(hours=settings.AUTHENTICATOR_ENROLMENT_HOURS),
        )
        audit_record(
            actor=actor,
            role="administrator",
            action=AuditAction.ACCOUNT_AUTHENTICATOR_ENROLMENT_ISSUED,
            target=user,
            data={"enrolment": record.pk, "expires_at": record.expires_at.isoformat()},
        )
    return f"{code[:5]}-{code[5:]}"


def authenticator_enrolment_check(*, user: User, code: str) -> AuthenticatorEnrolment | None:
    """The staff member's live set-up code, if this is it (nothing is used up yet)."""
    record = AuthenticatorEnrolment.objects.filter(
        user=user,
        code_digest=code_digest("enrolment", code),
        used_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).first()
    if record is None:
        sign_in_address_failed()
        sign_in_attempt_record(
            method=SignInMethod.STAFF_TOTP,
            identifier=user.username,
            user=user,
            succeeded=False,
            reason="wrong_enrolment_code",
        )
    return record


def staff_self_unlock(*, email: str, password: str, code: str) -> tuple[User, Any] | None:
    """A member of staff locked out by wrong passwords unlocks their own account: the right password and
    a code from their authenticator app, together. So someone who only knows their email address cannot
    keep them out. Returns the account and the authenticator that proved it, or None (said the same way
    whichever part was wrong)."""
    from axes.utils import reset as axes_reset
    from django_otp.plugins.otp_totp.models import TOTPDevice

    email = email.strip().lower()
    user = User.objects.filter(username=email, kind=UserKind.STAFF, is_active=True).first()
    reason = ""
    device = None
    if user is None:
        make_password(password)  # same work as a real check, so timing does not reveal who exists
        reason = "unknown"
    elif not check_password(password, user.password):
        reason = "wrong_credentials"
    else:
        for candidate in TOTPDevice.objects.filter(user=user, confirmed=True):
            if candidate.verify_is_allowed()[0] and candidate.verify_token(code):
                device = candidate
                break
        if device is None:
            reason = "wrong_code"
    if user is None or device is None:
        sign_in_address_failed()
        sign_in_attempt_record(
            method=SignInMethod.STAFF_TOTP, identifier=email, user=user, succeeded=False, reason=f"unlock_{reason}"
        )
        return None
    with transaction.atomic():
        axes_reset(username=user.username)
        audit_record(actor=user, role="staff", action=AuditAction.ACCOUNT_STAFF_SELF_UNLOCKED, target=user)
        sign_in_attempt_record(method=SignInMethod.STAFF_PASSWORD, identifier=email, user=user, succeeded=True)
    return user, device


def authenticator_enrolment_live(*, user: User, enrolment_id: Any) -> bool:
    return AuthenticatorEnrolment.objects.filter(
        pk=enrolment_id, user=user, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).exists()


def staff_totp_confirm(*, user: StaffUser, device: Any, code: str, enrolment_id: int) -> bool:
    """A staff member's first authenticator code, with their administrator's set-up code still live: the
    authenticator is theirs from now on (any earlier one stops), and the set-up code is used up."""
    if not device.verify_token(code):
        return False
    with transaction.atomic():
        enrolment = (
            AuthenticatorEnrolment.objects.select_for_update()
            .filter(
                pk=enrolment_id, user=user, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
            )
            .first()
        )
        if enrolment is None:
            return False
        enrolment.used_at = timezone.now()
        enrolment.save(update_fields=["used_at"])
        type(device).objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(
            actor=user,
            role="staff",
            action=AuditAction.ACCOUNT_AUTHENTICATOR_SET_UP,
            target=user,
            data={"enrolment": enrolment.pk, "issued_by": enrolment.created_by_id},
        )
    return True


def device_token_create(*, actor: PersonUser, name: str) -> IssuedDeviceToken:
    """A person adds their phone or tablet. The plain token is returned once and never stored."""
    require(actor, "person.self")
    name = name.strip()
    if not name:
        raise ValueError(_("Give the device a name, like “My phone”."))
    token = DEVICE_TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        now = timezone.now()
        record = DeviceToken.objects.create(
            user=actor,
            name=name.strip()[:100],
            token_digest=code_digest("device", token),
            created_at=now,
            secret_issued_at=now,
        )
        audit_record(
            actor=actor,
            role="person",
            action=AuditAction.ACCOUNT_DEVICE_TOKEN_CREATED,
            person=actor.person,
            target=record,
        )
    return IssuedDeviceToken(record=record, token=token)


def device_token_revoke(*, actor: StaffUser | PersonUser, token: DeviceToken, reason: str = "") -> DeviceToken:
    person = token.user.person
    if person is None:
        raise ValueError("Device tokens belong to people's accounts.")
    require(actor, "person.manage_devices", person)
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.revoked_by = actor
            token.save(update_fields=["revoked_at", "revoked_by"])
            audit_record(
                actor=actor,
                role=acting_role(actor, person),
                action=AuditAction.ACCOUNT_DEVICE_TOKEN_REVOKED,
                person=person,
                target=token,
                reason=reason,
            )
    return token


def person_access_end(*, actor: Any, person: Person, reason: str) -> int:
    """End every way the person is signed in: device tokens are revoked and open web sessions stop working.

    Returns how many device tokens were revoked.

    Web sessions carry a hash of the account's password field; a new unusable password changes it, so
    each open session is refused at its next request (Django checks the hash), on any session store.
    """
    now = timezone.now()
    with transaction.atomic():
        account = User.objects.select_for_update().filter(person=person).first()
        if account is None:
            return 0
        tokens = DeviceToken.objects.filter(user=account, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=actor if getattr(actor, "pk", None) else None
        )
        account.set_unusable_password()
        account.save(update_fields=["password"])
        audit_record(
            actor=actor,
            role=acting_role(actor, person),
            action=AuditAction.ACCOUNT_ACCESS_ENDED,
            person=person,
            target=account,
            reason=reason,
            data={"device_tokens_revoked": tokens},
        )
    return tokens


@dataclass(frozen=True)
class DeviceTokenUse:
    """Who a device token signs in, and the token the device must send from now on ("" if unchanged)."""

    user: User
    replacement: str = ""


def device_tokens_live(devices: Any, person: Any = None) -> list[DeviceToken]:
    """The devices (a DeviceToken queryset) that can still sign in: not stopped, not run out.

    Give `person` when every device is theirs (a staff record's list): their limits are then read from
    it, not from each device's user.
    """
    now = timezone.now()
    live = []
    rows = devices.filter(revoked_at__isnull=True)
    if person is None:
        rows = rows.select_related("user__person")
    for record in rows.order_by("-created_at"):
        lifetime, idle = device_token_limits(record, person)
        last_used = max(filter(None, (record.last_used_at, record.secret_issued_at, record.created_at)))
        if now < record.created_at + lifetime and now - last_used <= idle:
            live.append(record)
    return live


def device_token_limits(record: DeviceToken, person: Any = None) -> tuple[timedelta, timedelta]:
    """(lifetime, idle limit) of a device: shorter for a person in custody, whose tablets are shared."""
    person = person if person is not None else record.user.person
    if person is not None and person.in_custody:
        return (
            timedelta(hours=settings.CUSTODY_DEVICE_TOKEN_LIFETIME_HOURS),
            timedelta(minutes=settings.CUSTODY_DEVICE_TOKEN_IDLE_MINUTES),
        )
    return timedelta(days=settings.DEVICE_TOKEN_LIFETIME_DAYS), timedelta(days=settings.DEVICE_TOKEN_IDLE_DAYS)


def _device_token_successor(token: str, generation: int) -> str:
    """The secret that follows `token`: derived with the site's key, so whoever presents the old secret
    within its grace gets the same new one again (two calls in flight, or an answer that never arrived)."""
    mac = salted_hmac("onward.accounts.device-rotation", f"{token}:{generation}").digest()
    return DEVICE_TOKEN_PREFIX + base64.urlsafe_b64encode(mac).decode().rstrip("=")


def device_token_use(token: str) -> DeviceTokenUse | None:
    """Check a device token for one API call; None if it cannot sign in.

    A device stops at the end of its lifetime (from when it was added) or when it was not used within
    its idle limit. A secret older than DEVICE_TOKEN_ROTATE_MINUTES is replaced as it is used: the new
    one is returned (the API sends it in the `Onward-Device-Token` header) and the old one keeps working
    for DEVICE_TOKEN_GRACE_SECONDS, each time answering with the same new one. An old secret presented
    after its grace means a copy is in use somewhere: the device is stopped.
    """
    if not token.startswith(DEVICE_TOKEN_PREFIX):
        return None
    digest = code_digest("device", token)
    record = (
        DeviceToken.objects.select_related("user__person")
        .filter(models.Q(token_digest=digest) | models.Q(previous_digest=digest))
        .first()
    )
    if record is None or record.revoked_at is not None or not record.user.is_active:
        return None
    if record.user.kind != UserKind.PERSON:
        return None  # device tokens are for people's phones and tablets only
    now = timezone.now()
    lifetime, idle = device_token_limits(record)
    last_used = max(filter(None, (record.last_used_at, record.secret_issued_at, record.created_at)))
    if now >= record.created_at + lifetime or now - last_used > idle:
        _device_token_stop(record, now, reason="expired" if now >= record.created_at + lifetime else "idle")
        return None
    if record.token_digest != digest:  # a secret already replaced
        if record.previous_valid_until is not None and now <= record.previous_valid_until:
            return DeviceTokenUse(record.user, _device_token_successor(token, record.generation))
        _device_token_stop(record, now, reason="replaced_token_reused")
        return None
    if now - record.secret_issued_at >= timedelta(minutes=settings.DEVICE_TOKEN_ROTATE_MINUTES):
        return _device_token_rotate(record.pk, token, digest, now)
    if record.last_used_at is None or now - record.last_used_at > timedelta(seconds=DEVICE_TOKEN_TOUCH_SECONDS):
        DeviceToken.objects.filter(pk=record.pk).update(last_used_at=now)  # coarse, to keep reads cheap
    return DeviceTokenUse(record.user)


def _device_token_rotate(pk: int, token: str, digest: str, now: datetime) -> DeviceTokenUse | None:
    with transaction.atomic():
        record = DeviceToken.objects.select_for_update(of=("self",)).select_related("user").get(pk=pk)
        if record.revoked_at is not None:
            return None
        if record.token_digest == digest:
            record.generation += 1
            record.previous_digest = digest
            record.previous_valid_until = now + timedelta(seconds=settings.DEVICE_TOKEN_GRACE_SECONDS)
            record.token_digest = code_digest("device", _device_token_successor(token, record.generation))
            record.secret_issued_at = now
            record.last_used_at = now
            record.save(
                update_fields=[
                    "generation",
                    "previous_digest",
                    "previous_valid_until",
                    "token_digest",
                    "secret_issued_at",
                    "last_used_at",
                ]
            )
        elif record.previous_digest != digest:  # replaced twice while this call waited: too old now
            return None
    # A call that waited for another to replace the same secret gets the same new one.
    return DeviceTokenUse(record.user, _device_token_successor(token, record.generation))


def _device_token_stop(record: DeviceToken, now: datetime, *, reason: str) -> None:
    """A device that ran out, or whose replaced secret came back: it signs in no more."""
    with transaction.atomic():
        _device_token_stop_now(record, now, reason=reason)


def _device_token_stop_now(record: DeviceToken, now: datetime, *, reason: str) -> None:
    stopped = DeviceToken.objects.filter(pk=record.pk, revoked_at__isnull=True).update(revoked_at=now)
    sign_in_attempt_record(
        method=SignInMethod.DEVICE_TOKEN,
        identifier=f"device:{record.pk}",
        user=record.user,
        succeeded=False,
        reason=reason,
    )
    if stopped and reason == "replaced_token_reused" and record.user.person is not None:
        audit_record(
            actor=None,
            action=AuditAction.ACCOUNT_DEVICE_TOKEN_REVOKED,
            person=record.user.person,
            target=record,
            reason="A replaced device token was used again",
        )


# --- Sign-in links (with date of birth) --------------------------------------------------------


def sign_in_link_issue(*, user: User, purpose: str, next_url: str, expires_at: Any) -> str:
    """A link for a person's message (e.g. a check-in invitation). Returns its path; only a digest is kept."""
    if user.kind != UserKind.PERSON:
        raise ValueError("Sign-in links are for people's accounts.")
    if not next_url.startswith("/") or next_url.startswith("//"):
        raise ValueError("next_url must be a path on this site.")
    token = secrets.token_urlsafe(24)
    SignInLink.objects.create(
        user=user, token_digest=code_digest("link", token), purpose=purpose, next_url=next_url, expires_at=expires_at
    )
    return reverse("accounts:person_link", kwargs={"token": token})


def sign_in_links_issue_many(
    wanted: list[tuple[Any, User | None, str, datetime]], *, purpose: str, base_url: str
) -> dict[Any, str]:
    """Many sign-in links in one insert, for a batch (reminders): {key: full link} for (key, account, next, expiry).

    The same rows `sign_in_link_issue` writes; entries without an account get no link.
    """
    rows, links = [], {}
    link_path = reverse("accounts:person_link", kwargs={"token": "TOKEN"})  # once per batch, not per link
    base = base_url.rstrip("/")
    for key, user, next_url, expires_at in wanted:
        if user is None:
            continue
        if not next_url.startswith("/") or next_url.startswith("//"):
            raise ValueError("next_url must be a path on this site.")
        token = secrets.token_urlsafe(24)
        rows.append(
            SignInLink(
                user=user,
                token_digest=code_digest("link", token),
                purpose=purpose,
                next_url=next_url,
                expires_at=expires_at,
            )
        )
        links[key] = base + link_path.replace("TOKEN", token)
    SignInLink.objects.bulk_create(rows, batch_size=SIGN_IN_LINK_BATCH_SIZE)
    return links


def sign_in_link_redeem(*, token: str, date_of_birth: Any) -> tuple[User, str]:
    """Check a link and the date of birth typed with it. Returns the person's account and where to go."""
    _address_check()
    with transaction.atomic():
        result, refusal = _link_check(token, date_of_birth)
    if refusal is not None:
        sign_in_address_failed()
        raise refusal
    assert result is not None
    return result


def sign_in_link_is_live(token: str) -> bool:
    """Whether a link can still be used (for the page to say so before asking for a date of birth)."""
    link = SignInLink.objects.filter(token_digest=code_digest("link", token)).first()
    return link is not None and _link_problem(link) == ""


def _link_problem(link: SignInLink) -> str:
    if link.revoked_at is not None:
        return "revoked"
    if link.locked_at is not None:
        return "locked"
    if link.expires_at <= timezone.now():
        return "expired"
    if not link.user.is_active:
        return "inactive"
    return ""


def _link_check(token: str, date_of_birth: Any) -> tuple[tuple[User, str] | None, SignInRefused | None]:
    digest = code_digest("link", token)
    identifier = f"link:{digest[:12]}"
    link = (
        SignInLink.objects.select_for_update(of=("self",))
        .select_related("user__person")
        .filter(token_digest=digest)
        .first()
    )
    if link is None:
        sign_in_attempt_record(method=SignInMethod.LINK, identifier=identifier, succeeded=False, reason="unknown")
        return None, SignInRefused(_("This link does not work. Use the newest message we sent you."), "unknown")
    problem = _link_problem(link)
    if problem:
        sign_in_attempt_record(
            method=SignInMethod.LINK, identifier=identifier, user=link.user, succeeded=False, reason=problem
        )
        message = {
            "expired": _("This link has run out. Sign in with a code sent to your phone instead."),
            "locked": _(
                "This link is locked because the date of birth was wrong too many times. "
                "Sign in with a code sent to your phone, or call your probation practitioner."
            ),
        }.get(problem, _("This link does not work. Use the newest message we sent you."))
        return None, SignInRefused(message, problem)
    person = link.user.person
    if person is None or person.date_of_birth != date_of_birth:
        link.failed_attempts += 1
        if link.failed_attempts >= settings.SIGN_IN_LINK_FAILURE_LIMIT:
            link.locked_at = timezone.now()
        link.save(update_fields=["failed_attempts", "locked_at"])
        sign_in_attempt_record(
            method=SignInMethod.LINK,
            identifier=identifier,
            user=link.user,
            succeeded=False,
            reason="locked_now" if link.locked_at else "wrong_date_of_birth",
        )
        if link.locked_at:
            return None, SignInRefused(
                _(
                    "This link is locked because the date of birth was wrong too many times. "
                    "Sign in with a code sent to your phone, or call your probation practitioner."
                ),
                "locked",
            )
        return None, SignInRefused(_("That date of birth is not right. Check it and try again."), "wrong_date_of_birth")
    link.failed_attempts = 0
    link.save(update_fields=["failed_attempts"])
    sign_in_attempt_record(method=SignInMethod.LINK, identifier=identifier, user=link.user, succeeded=True)
    return (link.user, link.next_url), None
