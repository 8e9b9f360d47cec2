"""Schemathesis generates requests from the OpenAPI document, valid and invalid, and the API must
never answer with a server error, whoever calls: a person by device token, or staff by session. Every
refusal answers JSON with a plain `detail`."""

from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from onward.accounts.services import device_token_create, person_account_ensure
from onward.api.api import api
from onward.checkins.tests.factories import CheckInFactory, EnrolmentFactory, questionnaire_ensure
from onward.organisations.models import Role
from onward.people.tests.factories import CommunityPersonFactory, StaffAssignmentFactory

FUZZ_EXAMPLES = 25


@pytest.fixture
def api_schema(transactional_db: None, org: dict[str, Any], make_staff: Any, staff_client: Any) -> Any:
    person = CommunityPersonFactory(unit=org["office_n"])
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    StaffAssignmentFactory(person=person, staff=practitioner, role="practitioner")
    questionnaire_ensure()
    CheckInFactory(enrolment=EnrolmentFactory(person=person))  # an open check-in, so its steps run for real
    issued = device_token_create(actor=person_account_ensure(person), name="Phone")
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
    schema.app = WSGIHandler()
    schema.onward_callers = {  # type: ignore[attr-defined]
        "person by device token": {"headers": {"Authorization": f"Bearer {issued.token}"}},
        "staff by session": {"cookies": {"sessionid": staff_client(practitioner).cookies["sessionid"].value}},
    }
    return schema


def test_api_never_answers_with_a_server_error(api_schema: Any) -> None:
    tried = []
    answered: dict[str, set[int]] = {caller: set() for caller in api_schema.onward_callers}
    for result in api_schema.get_all_operations():
        operation = result.ok()
        tried.append(f"{operation.method.upper()} {operation.path}")

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=FUZZ_EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            for caller, credentials in api_schema.onward_callers.items():
                response = case.call(**credentials)
                answered[caller].add(response.status_code)
                assert response.status_code < 500, (caller, case.method, case.formatted_path, response.text[:500])
                if response.status_code >= 400:  # every refusal is JSON with a message a person can read
                    assert response.json().get("detail"), (
                        caller,
                        case.method,
                        case.formatted_path,
                        response.text[:500],
                    )

        check()
    assert len(tried) >= 6, tried
    # Both callers really got in somewhere, so the fuzzing reached the code behind the checks.
    assert all(200 in statuses for statuses in answered.values()), answered
