"""Sign-in pages: staff (password then authenticator code), and people (PIN, one-time code, activation).

And the sign-in actions staff take on a person's record: reset a PIN, print an activation code, stop a device.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from onward.accounts.actors import signed_in_user, staff_verified_by
from onward.accounts.forms import (
    ActivationForm,
    CodeForm,
    ContactForm,
    DateOfBirthForm,
    EnrolmentCodeForm,
    OneTimeCodeForm,
    PinResetForm,
    PinSignInForm,
    StaffSignInForm,
    StaffUnlockForm,
)
from onward.accounts.models import DeviceToken, SignInMethod
from onward.accounts.services import (
    CodeRequestRefused,
    SignInRefused,
    activation_code_issue,
    activation_code_redeem,
    address_limited_message,
    authenticator_enrolment_check,
    authenticator_enrolment_live,
    device_token_revoke,
    one_time_code_request,
    one_time_code_verify,
    person_pin_set,
    person_pin_sign_in,
    sign_in_address_failed,
    sign_in_address_wait,
    sign_in_attempt_record,
    sign_in_link_is_live,
    sign_in_link_redeem,
    staff_self_unlock,
    staff_totp_confirm,
)
from onward.accounts.totp import totp_device_new, totp_qr_svg
from onward.core.actors import UserKind
from onward.core.audit_actions import AuditAction
from onward.core.navigation import staff_landing
from onward.core.permissions import can, permission, public
from onward.people.selectors import person_get

PENDING_STAFF = "onward_pending_staff"
PENDING_CONTACT = "onward_pending_contact"
PENDING_ENROLMENT = "onward_pending_enrolment"
PERSON_BACKEND = "django.contrib.auth.backends.ModelBackend"


@public
def staff_sign_in(request: HttpRequest) -> HttpResponse:
    form = StaffSignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        address_wait = sign_in_address_wait()
        user = (
            None if address_wait else auth.authenticate(request, username=email, password=form.cleaned_data["password"])
        )
        if address_wait:
            sign_in_attempt_record(
                method=SignInMethod.STAFF_PASSWORD, identifier=email, succeeded=False, reason="address_limit"
            )
            form.add_error(None, address_limited_message(address_wait))
        elif getattr(request, "axes_locked_out", False):
            sign_in_attempt_record(
                method=SignInMethod.STAFF_PASSWORD, identifier=email, succeeded=False, reason="locked"
            )
            form.add_error(None, _locked_message())
            return render(request, "accounts/staff_sign_in.html", {"form": form, "locked": True}, status=403)
        elif user is None or user.kind != UserKind.STAFF:
            sign_in_address_failed()
            sign_in_attempt_record(
                method=SignInMethod.STAFF_PASSWORD, identifier=email, succeeded=False, reason="wrong_credentials"
            )
            form.add_error(None, _("The email address or password is not right. Check them and try again."))
        else:
            sign_in_attempt_record(method=SignInMethod.STAFF_PASSWORD, identifier=email, user=user, succeeded=True)
            request.session.cycle_key()
            request.session[PENDING_STAFF] = user.pk
            has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            return redirect("accounts:staff_code" if has_device else "accounts:staff_code_setup")
    return render(
        request, "accounts/staff_sign_in.html", {"form": form, "locked": False}, status=400 if form.errors else 200
    )


@public
def staff_unlock(request: HttpRequest) -> HttpResponse:
    """A locked-out member of staff unlocks their own account with their password and authenticator code."""
    form = StaffUnlockForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        wait = sign_in_address_wait()
        unlocked = (
            None
            if wait
            else staff_self_unlock(
                email=form.cleaned_data["email"], password=form.cleaned_data["password"], code=form.cleaned_data["code"]
            )
        )
        if wait:
            form.add_error(None, address_limited_message(wait))
            status = 429
        elif unlocked is None:
            form.add_error(
                None,
                _(
                    "The email address, password or code is not right. Check them, and wait for a new code "
                    "in your app before you try again."
                ),
            )
        else:
            user, device = unlocked
            request.session.cycle_key()
            return _finish_staff_sign_in(request, user, device)
    if form.errors and status == 200:
        status = 400
    return render(request, "accounts/staff_unlock.html", {"form": form}, status=status)


@public
def staff_code(request: HttpRequest) -> HttpResponse:
    user = _pending_staff(request)
    if user is None:
        return redirect("accounts:staff_sign_in")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttled = _throttle_wait_seconds(user)
        device = None if throttled else _verify_any_device(user, form.cleaned_data["code"])
        if throttled:
            form.add_error(
                "code",
                _("Too many wrong codes. Wait %(seconds)s seconds, then enter the newest code from your app.")
                % {"seconds": throttled},
            )
        elif device is None:
            sign_in_attempt_record(
                method=SignInMethod.STAFF_TOTP,
                identifier=user.username,
                user=user,
                succeeded=False,
                reason="wrong_code",
            )
            form.add_error("code", _("That code is not right. Wait for a new code in your app and try again."))
        else:
            return _finish_staff_sign_in(request, user, device)
    return render(request, "accounts/staff_code.html", {"form": form}, status=400 if form.errors else 200)


@public
def staff_code_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: first the administrator's set-up code, then the app's first code."""
    user = _pending_staff(request)
    if user is None:
        return redirect("accounts:staff_sign_in")
    enrolment_id = request.session.get(PENDING_ENROLMENT)
    if not enrolment_id or not authenticator_enrolment_live(user=user, enrolment_id=enrolment_id):
        return _staff_enrolment_code(request, user)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or totp_device_new(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if staff_totp_confirm(user=user, device=device, code=form.cleaned_data["code"], enrolment_id=enrolment_id):
            request.session.pop(PENDING_ENROLMENT, None)
            return _finish_staff_sign_in(request, user, device)
        sign_in_attempt_record(
            method=SignInMethod.STAFF_TOTP,
            identifier=user.username,
            user=user,
            succeeded=False,
            reason="wrong_setup_code",
        )
        form.add_error("code", _("That code is not right. Check the app is set up with this key and try again."))
    context = {"form": form, "qr_svg": totp_qr_svg(device), "secret": device_secret_for_display(device)}
    return render(request, "accounts/staff_code_setup.html", context, status=400 if form.errors else 200)


def _staff_enrolment_code(request: HttpRequest, user: Any) -> HttpResponse:
    form = EnrolmentCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        wait = sign_in_address_wait()
        enrolment = None if wait else authenticator_enrolment_check(user=user, code=form.cleaned_data["code"])
        if wait:
            form.add_error(None, address_limited_message(wait))
            status = 429
        elif enrolment is None:
            form.add_error(
                "code",
                _("That set-up code is not right, or it has run out or been used. Ask an administrator for a new one."),
            )
        else:
            request.session[PENDING_ENROLMENT] = enrolment.pk
            return redirect("accounts:staff_code_setup")
    if form.errors and status == 200:
        status = 400
    return render(request, "accounts/staff_enrolment_code.html", {"form": form}, status=status)


def device_secret_for_display(device: TOTPDevice) -> str:
    import base64

    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def staff_locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """Called by django-axes when a locked-out account tries again."""
    form = StaffSignInForm(request.POST or None)
    form.is_valid()
    form.add_error(None, _locked_message())
    return render(request, "accounts/staff_sign_in.html", {"form": form, "locked": True}, status=403)


def _locked_message() -> str:
    return _(
        "This account is locked because the password was wrong too many times. If it is yours, unlock it "
        "now with your password and a code from your authenticator app. Or try again in %(hours)s hour, "
        "or ask an administrator to unlock it."
    ) % {"hours": settings.AXES_COOLOFF_TIME}


def _pending_staff(request: HttpRequest) -> Any:
    user_id = request.session.get(PENDING_STAFF)
    if not user_id:
        return None
    return get_user_model().objects.filter(pk=user_id, kind=UserKind.STAFF, is_active=True).first()


def _throttle_wait_seconds(user: Any) -> int:
    """Seconds until django-otp will check another code (it slows down guessing after failures)."""
    from django.utils import timezone

    waits = []
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            waits.append(max(1, int((data["locked_until"] - timezone.now()).total_seconds()) + 1))
    return min(waits) if waits else 0


def _verify_any_device(user: Any, code: str) -> TOTPDevice | None:
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_is_allowed()[0] and device.verify_token(code):
            return device
    return None


def _finish_staff_sign_in(request: HttpRequest, user: Any, device: TOTPDevice) -> HttpResponse:
    sign_in_attempt_record(method=SignInMethod.STAFF_TOTP, identifier=user.username, user=user, succeeded=True)
    request.session.pop(PENDING_STAFF, None)
    auth.login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    # This user object was loaded before the code was checked: mark it verified, as the next request will be.
    return redirect(_safe_next(request, staff_landing(staff_verified_by(user, device))))


# --- People ------------------------------------------------------------------------------------


@public
def person_sign_in(request: HttpRequest) -> HttpResponse:
    form = PinSignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = person_pin_sign_in(prison_number=form.cleaned_data["prison_number"], pin=form.cleaned_data["pin"])
        except SignInRefused as refused:
            form.add_error(None, refused.message)
        else:
            return _finish_person_sign_in(request, user)
    return render(request, "accounts/person_sign_in.html", {"form": form}, status=400 if form.errors else 200)


@public
def person_code_request(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            one_time_code_request(contact=form.cleaned_data["contact"])
        except CodeRequestRefused as refused:
            form.add_error(None, refused.message)
            status = 429
        else:
            request.session[PENDING_CONTACT] = form.cleaned_data["contact"]
            return redirect("accounts:person_code_enter")
    if form.errors and status == 200:
        status = 400
    return render(request, "accounts/person_code_request.html", {"form": form}, status=status)


@public
def person_code_enter(request: HttpRequest) -> HttpResponse:
    contact = request.session.get(PENDING_CONTACT)
    if not contact:
        return redirect("accounts:person_code_request")
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = one_time_code_verify(contact=contact, code=form.cleaned_data["code"].strip())
        except SignInRefused as refused:
            form.add_error("code", refused.message)
        else:
            request.session.pop(PENDING_CONTACT, None)
            return _finish_person_sign_in(request, user)
    return render(
        request,
        "accounts/person_code_enter.html",
        {"form": form, "contact": contact},
        status=400 if form.errors else 200,
    )


@public
def person_link(request: HttpRequest, token: str) -> HttpResponse:
    """A link from a message (a check-in invitation): the date of birth signs the person in."""
    form = DateOfBirthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, next_url = sign_in_link_redeem(token=token, date_of_birth=form.cleaned_data["date_of_birth"])
        except SignInRefused as refused:
            form.add_error(None, refused.message)
        else:
            response = _finish_person_sign_in(request, user)
            response["Location"] = next_url
            return response
    live = request.method == "POST" or sign_in_link_is_live(token)
    status = 400 if form.errors else (200 if live else 410)
    return render(request, "accounts/person_link.html", {"form": form, "live": live}, status=status)


@public
def person_activate(request: HttpRequest) -> HttpResponse:
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = activation_code_redeem(code=form.cleaned_data["code"])
        except SignInRefused as refused:
            form.add_error("code", refused.message)
        else:
            return _finish_person_sign_in(request, user)
    return render(request, "accounts/person_activate.html", {"form": form}, status=400 if form.errors else 200)


def _finish_person_sign_in(request: HttpRequest, user: Any) -> HttpResponse:
    auth.login(request, user, backend=PERSON_BACKEND)
    if user.person.in_custody:
        request.session.set_expiry(settings.CUSTODY_SESSION_IDLE_MINUTES * 60)
    from django.utils import translation

    language = user.person.preferred_language
    response = redirect("people:person_home")
    if language in dict(settings.LANGUAGES):
        translation.activate(language)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax", httponly=True)
    return response


@permission("account.signed_in")
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    was_person = getattr(request.user, "kind", None) == UserKind.PERSON
    auth.logout(request)
    return render(request, "accounts/signed_out.html", {"was_person": was_person})


def _safe_next(request: HttpRequest, default: str) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# --- Staff, on a person's record: PIN, activation code, devices -----------------------------------


@permission("person.reset_pin")
def person_pin_reset(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_FOR_PIN_RESET)
    if not can(request.user, "person.reset_pin", person):
        raise PermissionDenied("person.reset_pin")
    form = PinResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person_pin_set(
            actor=signed_in_user(request),
            person=person,
            pin=form.cleaned_data["pin"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(
            request, _("The PIN has been reset. Give the new PIN to %(name)s privately.") % {"name": person.full_name}
        )
        return redirect("people:person_detail", person_id=person.pk)
    return render(
        request, "accounts/pin_reset.html", {"person": person, "form": form}, status=400 if form.errors else 200
    )


@permission("person.issue_activation_code")
@require_POST
def person_activation_code(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_FOR_ACTIVATION_CODE)
    code = activation_code_issue(actor=signed_in_user(request), person=person)
    days = settings.ACTIVATION_CODE_DAYS
    context = {
        "person": person,
        "code": code,
        "code_days": days,
        "expires_on": timezone.localdate() + timedelta(days=days),
        # Browsers go to https:// by themselves, so the letter leaves it off: less to type.
        "public_address": settings.PUBLIC_BASE_URL.removeprefix("https://"),
    }
    return render(request, "accounts/activation_code.html", context)


@permission("person.manage_devices")
@require_POST
def person_device_revoke(request: HttpRequest, person_id: int, token_id: int) -> HttpResponse:
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_FOR_DEVICE_REVOKE)
    token = get_object_or_404(DeviceToken, pk=token_id, user__person=person)
    device_token_revoke(actor=signed_in_user(request), token=token)
    messages.success(request, _("The device can no longer sign in."))
    return redirect("people:person_detail", person_id=person.pk)
