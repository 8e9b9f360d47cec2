"""Core learns of higher apps only through registries they fill: readiness checks and the audit writer."""

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from onward.core import auditing, health
from onward.core.health import NotReady, readiness_check, readiness_checks


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    registry: dict[str, Any] = {}
    monkeypatch.setattr(health, "_CHECKS", registry)
    return registry


def test_a_registered_check_reports_its_detail_or_its_own_words_for_not_ready(checks: dict[str, Any]) -> None:
    @readiness_check("queue")
    def queue_ok() -> str:
        return "3 waiting"

    @readiness_check("printer")
    def printer_down() -> str:
        raise NotReady("the printer has not answered for 5 minutes")

    @readiness_check("disk")
    def disk_broken() -> str:
        raise OSError("/secret/path is full")

    result = readiness_checks()
    assert {name: (r["ok"], r["detail"]) for name, r in result.items()} == {
        "queue": (True, "3 waiting"),
        "printer": (False, "the printer has not answered for 5 minutes"),
        "disk": (False, "OSError"),  # an unexpected error says only its type, never its text
    }


def test_two_checks_with_one_name_are_refused(checks: dict[str, Any]) -> None:
    readiness_check("queue")(lambda: "ok")
    with pytest.raises(RuntimeError, match="Two readiness checks"):
        readiness_check("queue")(lambda: "ok")


def test_the_running_site_checks_what_core_owns_and_what_the_apps_add() -> None:
    assert {"database", "cache", "storage", "worker"} <= set(health._CHECKS)


def test_the_running_site_writes_through_the_audit_apps_writer() -> None:
    assert [(w.__module__, w.__name__) for w in auditing._WRITERS] == [("onward.audit.services", "audit_record")]


def test_core_writes_through_the_registered_writer_and_fails_loudly_without_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(auditing, "_WRITERS", [])
    with pytest.raises(ImproperlyConfigured, match="No audit writer"):
        auditing.audit_write(actor=None, action="admin.unit.changed")
    written: list[dict[str, Any]] = []

    def writer(**fields: Any) -> None:
        written.append(fields)

    auditing.audit_writer_register(writer)
    auditing.audit_writer_register(writer)  # the same writer again (a second start-up) is harmless
    auditing.audit_write(actor=None, action="admin.unit.changed", data={"fields": ["name"]})
    assert written == [
        {
            "actor": None,
            "action": "admin.unit.changed",
            "person": None,
            "target": None,
            "role": "",
            "reason": "",
            "data": {"fields": ["name"]},
        }
    ]
    with pytest.raises(ImproperlyConfigured, match="Two audit writers"):
        auditing.audit_writer_register(lambda **fields: None)
