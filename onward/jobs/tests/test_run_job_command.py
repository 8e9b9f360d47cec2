import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from onward.audit.services import audit_record
from onward.core.audit_actions import AuditAction


@pytest.mark.django_db
def test_run_job_runs_a_periodic_job_now_and_prints_its_summary():
    audit_record(actor=None, action=AuditAction.PERSON_VIEW)
    out = StringIO()
    call_command("run_job", "audit_chain_verify", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["checked"] == 1


@pytest.mark.django_db
def test_run_job_names_the_jobs_when_the_name_is_wrong():
    with pytest.raises(CommandError, match="outbox_sweep"):
        call_command("run_job", "no_such_job")
