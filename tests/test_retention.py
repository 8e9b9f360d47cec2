"""Retention: each kind of personal data has a rule or a stated reason; the daily job deletes what is past its time."""

import datetime as dt

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from onward.accounts.models import OneTimeCode, SignInAttempt, SignInLink
from onward.accounts.services import person_account_ensure
from onward.audit.models import AuditEvent
from onward.core.retention import KEPT_WITH_THE_RECORD, retention_covered, retention_rules, retention_run
from onward.jobs.schedule import periodic_jobs
from onward.notifications.models import InboundSms, OutboxMessage, OutboxStatus
from onward.people.models import Person
from onward.people.tests.factories import CommunityPersonFactory


def _points_at_a_person(model: type[models.Model]) -> bool:
    return any(
        isinstance(field, models.ForeignKey | models.OneToOneField) and field.related_model is Person
        for field in model._meta.concrete_fields
    )


def test_every_table_about_a_person_has_a_retention_rule_or_a_reason():
    decided = retention_covered() | set(KEPT_WITH_THE_RECORD)
    undecided = [
        m._meta.label
        for m in apps.get_models()
        if m.__module__.startswith("onward.") and _points_at_a_person(m) and m._meta.label not in decided
    ]
    assert not undecided, f"No retention rule and no reason: {undecided}"
    labels = {m._meta.label for m in apps.get_models()}
    assert set(KEPT_WITH_THE_RECORD) <= labels  # no reason left behind for a table that has gone
    assert not set(KEPT_WITH_THE_RECORD) & retention_covered()  # a table has a rule or a reason, not both


def test_one_daily_job_runs_every_rule():
    assert periodic_jobs()["retention_run"].interval_seconds == 24 * 60 * 60
    assert {"sign_in_attempts", "spent_codes_and_links", "sent_notifications", "check_in_media"} <= set(
        retention_rules()
    )


@pytest.mark.django_db
def test_the_job_deletes_what_is_past_its_period_and_keeps_the_rest(org, settings):
    settings.RETENTION_SIGN_IN_ATTEMPTS_DAYS = 365
    settings.RETENTION_SPENT_CODES_DAYS = 30
    settings.RETENTION_NOTIFICATIONS_DAYS = 365
    now = timezone.now()
    person = CommunityPersonFactory(unit=org["office_n"])
    account = person_account_ensure(person)
    old_attempt = SignInAttempt.objects.create(
        method="pin", identifier="x", succeeded=False, at=now - dt.timedelta(400)
    )
    new_attempt = SignInAttempt.objects.create(method="pin", identifier="x", succeeded=True, at=now - dt.timedelta(10))
    spent = OneTimeCode.objects.create(user=account, code_digest="a", channel="sms", expires_at=now - dt.timedelta(31))
    live = OneTimeCode.objects.create(user=account, code_digest="b", channel="sms", expires_at=now - dt.timedelta(2))
    old_link = SignInLink.objects.create(
        user=account, token_digest="c", purpose="checkin", next_url="/me/", expires_at=now - dt.timedelta(40)
    )

    def outbox(key: str, status: str, days: int) -> OutboxMessage:
        row = OutboxMessage.objects.create(
            channel="sms", recipient="07700900000", person=person, body="Hello", idempotency_key=key, status=status
        )
        OutboxMessage.objects.filter(pk=row.pk).update(created_at=now - dt.timedelta(days))
        return row

    old_sent = outbox("old-sent", OutboxStatus.SENT, 400)
    old_waiting = outbox("old-waiting", OutboxStatus.PENDING, 400)
    new_sent = outbox("new-sent", OutboxStatus.SENT, 5)
    old_text = InboundSms.objects.create(
        provider_id="p1", source_number="077", body="YES", received_at=now - dt.timedelta(400)
    )

    result = retention_run(now)

    assert result["sign_in_attempts"] == 1
    assert result["spent_codes_and_links"] == 2
    assert result["sent_notifications"] == 1
    assert result["texts_received"] == 1
    remaining = set(SignInAttempt.objects.values_list("pk", flat=True))
    assert old_attempt.pk not in remaining
    assert new_attempt.pk in remaining
    assert list(OneTimeCode.objects.values_list("pk", flat=True)) == [live.pk]
    assert spent.pk != live.pk
    assert not SignInLink.objects.filter(pk=old_link.pk).exists()
    kept = set(OutboxMessage.objects.values_list("pk", flat=True))
    assert kept == {old_waiting.pk, new_sent.pk}  # a message still waiting to go is never deleted
    assert old_sent.pk not in kept
    assert not InboundSms.objects.filter(pk=old_text.pk).exists()
    audited = dict(AuditEvent.objects.filter(action="retention.deleted").values_list("reason", "data__deleted"))
    assert audited["sign_in_attempts"] == 1
    assert audited["sent_notifications"] == 1

    assert all(count == 0 for count in retention_run(now).values())
