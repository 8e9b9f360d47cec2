"""The outbox, scheduled jobs and heartbeats in the admin: visible to administrators, read-only."""

import pytest
from django.test import RequestFactory

from onward.core.admin_site import admin_site
from onward.jobs.models import ScheduledJob, WorkerHeartbeat
from onward.notifications.models import OutboxMessage
from onward.notifications.tests.factories import OutboxMessageFactory
from onward.organisations.models import Role


@pytest.mark.parametrize("model", [OutboxMessage, ScheduledJob, WorkerHeartbeat])
def test_registered_read_only_on_the_onward_admin_site(model):
    model_admin = admin_site._registry[model]
    request = RequestFactory().get("/")
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


@pytest.mark.django_db
def test_an_administrator_can_list_and_open_outbox_messages(org, make_staff, staff_client):
    client = staff_client(make_staff(Role.ADMINISTRATOR, org["north"]))
    message = OutboxMessageFactory(last_error="GatewayDown: try later")
    listing = client.get("/admin/notifications/outboxmessage/")
    assert listing.status_code == 200
    page = client.get(f"/admin/notifications/outboxmessage/{message.pk}/change/")
    assert page.status_code == 200
    assert "GatewayDown: try later" in page.content.decode()
    assert "Save" not in page.content.decode()
    for url in ("/admin/jobs/scheduledjob/", "/admin/jobs/workerheartbeat/"):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_other_staff_cannot_see_the_outbox_in_the_admin(org, make_staff, staff_client):
    client = staff_client(make_staff(Role.KEY_WORKER, org["ngt"]))
    OutboxMessageFactory()
    assert client.get("/admin/notifications/outboxmessage/").status_code in (302, 403)
