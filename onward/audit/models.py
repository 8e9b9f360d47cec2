"""The audit trail: append-only events, each carrying the hash of the one before it."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from onward.core.audit_actions import audit_action_label


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    actor_role = models.CharField(max_length=40, blank=True)
    # When the system acted (a job, a scheduled run, a command): its name. Then `actor` is empty.
    actor_system = models.CharField(max_length=60, blank=True)
    action = models.CharField(max_length=60, db_index=True)
    person = models.ForeignKey("people.Person", null=True, on_delete=models.PROTECT, related_name="audit_events")
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # Which of AUDIT_KEYS keyed `hash` (HMAC-SHA256). Empty only on events written before the chain was keyed.
    key_id = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["person", "-at"]), models.Index(fields=["actor", "-at"])]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuntimeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Audit events are append-only.")

    @property
    def action_label(self) -> str:
        """What the action means in plain words (the code stays in `action`, the admin and the export)."""
        return audit_action_label(self.action)


class AuditChainHead(models.Model):
    """One row, locked by each writer, so events join the chain one at a time."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
