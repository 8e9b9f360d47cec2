"""How notifications react to what happens elsewhere: people's lifecycle, and codes to deliver."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from onward.accounts.events import SignInCodeIssued
from onward.core.events import subscriber
from onward.notifications.models import Channel, PushSubscription
from onward.notifications.services import notification_queue
from onward.people.events import ContactCodeIssued, LicenceIssued, PersonReleased, SupervisionEnded


@subscriber(SignInCodeIssued)
def sign_in_code_send(event: SignInCodeIssued) -> None:
    with override(event.person.preferred_language):
        body = _("Your Onward sign-in code is %(code)s. It works for %(minutes)s minutes. Do not share it.") % {
            "code": event.code,
            "minutes": event.minutes,
        }
        subject = _("Your Onward sign-in code")
    notification_queue(
        channel=event.channel,
        recipient=event.address,
        subject=subject,
        body=body,
        user=event.account,
        person=event.person,
    )


@subscriber(ContactCodeIssued)
def contact_code_send(event: ContactCodeIssued) -> None:
    """To the address being checked and nowhere else (it is not yet one that reminders use)."""
    with override(event.person.preferred_language):
        body = _(
            "Your Onward code is %(code)s. Give it to your worker or enter it in Onward. "
            "It works for %(minutes)s minutes."
        ) % {"code": event.code, "minutes": event.minutes}
        subject = _("Check your contact details for Onward")
    notification_queue(
        channel=event.channel,
        recipient=event.address,
        subject=subject,
        body=body,
        person=event.person,
    )


@subscriber(PersonReleased)
def practitioner_tell_of_release(event: PersonReleased) -> None:
    """The named probation practitioner hears of their new case in the app."""
    practitioner = event.practitioner
    if practitioner is None:
        return
    person = event.person
    notification_queue(
        channel=Channel.IN_APP,
        recipient=str(practitioner.pk),
        user=practitioner,
        person=person,
        subject=_("New case: %(ref)s released") % {"ref": person.reference},
        body=_("%(ref)s was released on %(date)s and is now on your caseload.")
        % {"ref": person.reference, "date": event.release_date.isoformat()},
        idempotency_key=f"release:{person.pk}:{event.release_date.isoformat()}",
    )


@subscriber(LicenceIssued)
def person_tell_of_new_licence(event: LicenceIssued) -> None:
    person = event.person
    account = getattr(person, "account", None)
    if account is None:
        return
    with override(person.preferred_language):  # written for the person, in their language
        notification_queue(
            channel=Channel.IN_APP,
            recipient=str(account.pk),
            user=account,
            person=person,
            subject=_("Your licence conditions have changed"),
            body=_("Your licence conditions have changed. Please read them and say you have read them."),
            idempotency_key=f"licence-issued:{event.version.pk}",
        )


@subscriber(SupervisionEnded)
def push_stop_at_supervision_end(event: SupervisionEnded) -> None:
    PushSubscription.objects.filter(user__person=event.person, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason="supervision_ended"
    )
