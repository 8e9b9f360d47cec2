import re

import pytest

from onward.audit.models import AuditEvent
from onward.organisations.models import OrgUnit, Role, StaffRole

pytestmark = pytest.mark.django_db


def test_administrators_manage_units_and_staff_roles_and_it_is_audited(org, make_staff, staff_client):
    admin = make_staff(Role.ADMINISTRATOR, org["north"])
    client = staff_client(admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/organisations/orgunit/").status_code == 200
    response = client.post(
        "/admin/organisations/orgunit/add/",
        {"kind": "wing", "code": "NGT-C", "name": "C wing", "parent": org["ngt"].pk, "address": ""},
    )
    assert response.status_code == 302, response.content[:2000]
    wing = OrgUnit.objects.get(code="NGT-C")
    assert wing.path == f"{org['ngt'].path}{wing.pk}/"
    assert AuditEvent.objects.filter(action="admin.orgunit.added", actor=admin).exists()

    worker = make_staff(Role.KEY_WORKER, org["ngt"])
    page = client.get(f"/admin/accounts/user/{worker.pk}/change/")
    assert page.status_code == 200
    role = worker.staff_roles.get()
    response = client.post(
        f"/admin/accounts/user/{worker.pk}/change/",
        {
            "username": worker.username,
            "email": worker.email,
            "first_name": worker.first_name,
            "last_name": worker.last_name,
            "is_active": "on",
            "staff_roles-TOTAL_FORMS": "2",
            "staff_roles-INITIAL_FORMS": "1",
            "staff_roles-MIN_NUM_FORMS": "0",
            "staff_roles-MAX_NUM_FORMS": "1000",
            "staff_roles-0-id": role.pk,
            "staff_roles-0-user": worker.pk,
            "staff_roles-0-role": Role.KEY_WORKER,
            "staff_roles-0-unit": org["ngt"].pk,
            "staff_roles-1-user": worker.pk,
            "staff_roles-1-role": Role.SECURITY,
            "staff_roles-1-unit": wing.pk,
        },
    )
    assert response.status_code == 302, re.findall(r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S)
    assert StaffRole.objects.filter(user=worker, role=Role.SECURITY, unit=wing).exists()
    assert AuditEvent.objects.filter(action="account.staff_roles_changed", actor=admin).exists()


def test_evidence_is_read_only_even_for_administrators(org, make_staff, staff_client):
    admin = make_staff(Role.ADMINISTRATOR, org["north"])
    client = staff_client(admin)
    from onward.audit.services import audit_record
    from onward.core.audit_actions import AuditAction

    event = audit_record(actor=admin, action=AuditAction.PERSON_VIEW)
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get(f"/admin/audit/auditevent/{event.pk}/change/").status_code == 200  # view only
    response = client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_other_staff_are_kept_out_of_the_admin(org, make_staff, staff_client):
    client = staff_client(make_staff(Role.SECURITY, org["ngt"]))
    response = client.get("/admin/organisations/orgunit/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/sign-in/")
