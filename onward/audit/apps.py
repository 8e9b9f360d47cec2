from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "onward.audit"
    label = "audit"

    def ready(self) -> None:
        # Core's own writes (admin pages, the retention job) reach the audit trail through this.
        from onward.audit.services import audit_record
        from onward.core.auditing import audit_writer_register

        audit_writer_register(audit_record)
