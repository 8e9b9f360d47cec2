"""How long sign-in records are kept: attempts for a year, spent codes and links for 30 days."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from onward.accounts.models import ActivationCode, AuthenticatorEnrolment, OneTimeCode, SignInAttempt, SignInLink
from onward.core.retention import retention_rule


@retention_rule("sign_in_attempts", covers=[SignInAttempt])
def sign_in_attempts_delete(now: datetime) -> int:
    cutoff = now - timedelta(days=settings.RETENTION_SIGN_IN_ATTEMPTS_DAYS)
    deleted, _counts = SignInAttempt.objects.filter(at__lt=cutoff).delete()
    return deleted


@retention_rule("spent_codes_and_links", covers=[OneTimeCode, SignInLink, ActivationCode, AuthenticatorEnrolment])
def spent_codes_and_links_delete(now: datetime) -> int:
    """Codes and links that can no longer be used: expired (or used, or revoked) over the period ago."""
    cutoff = now - timedelta(days=settings.RETENTION_SPENT_CODES_DAYS)
    deleted = 0
    for model in (OneTimeCode, SignInLink, ActivationCode, AuthenticatorEnrolment):
        count, _counts = model.objects.filter(Q(expires_at__lt=cutoff)).delete()
        deleted += count
    return deleted
