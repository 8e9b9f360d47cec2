"""The person's account: how they sign in, their devices, and every sign-in attempt (no secrets)."""

from onward.accounts.models import ActivationCode, DeviceToken, PinCredential, SignInAttempt, SignInLink, User
from onward.core.subject_access import Section, rows, subject_access_section
from onward.people.models import Person


@subject_access_section("account", covers=[User])
def account_section(person: Person) -> Section:
    account = User.objects.filter(person=person).first()
    if account is None:
        return Section(None)
    pin = PinCredential.objects.filter(user=account).first()
    return Section(
        {
            "username": account.username,
            "created_at": account.date_joined,
            "last_sign_in": account.last_login,
            "pin": {"set_at": pin.set_at, "locked_at": pin.locked_at, "wait_until": pin.wait_until} if pin else None,
            "devices": rows(
                DeviceToken.objects.filter(user=account).order_by("created_at"),
                "name",
                "created_at",
                "last_used_at",
                "revoked_at",
            ),
            "activation_codes": rows(
                ActivationCode.objects.filter(user=account).order_by("created_at"),
                "created_at",
                "expires_at",
                "used_at",
                "revoked_at",
            ),
            "sign_in_links": rows(
                SignInLink.objects.filter(user=account).order_by("created_at"),
                "purpose",
                "created_at",
                "expires_at",
                "locked_at",
                "revoked_at",
            ),
            "sign_in_attempts": rows(
                SignInAttempt.objects.filter(user=account).order_by("at"),
                "at",
                "method",
                "succeeded",
                "reason",
                "ip_address",
            ),
        }
    )
