"""Where people are held or supervised, and where staff work: one tree of organisation units.

A region holds prisons and probation delivery units (PDUs); a prison holds wings or units; a PDU
holds offices. A staff role held at a unit covers that unit and everything below it.
"""

from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    REGION = "region", _("Region")
    PRISON = "prison", _("Prison")
    WING = "wing", _("Wing or unit")
    PDU = "pdu", _("Probation delivery unit")
    OFFICE = "office", _("Probation office")


ALLOWED_PARENT_KINDS: dict[str, set[str | None]] = {
    UnitKind.REGION: {None},
    UnitKind.PRISON: {UnitKind.REGION},
    UnitKind.WING: {UnitKind.PRISON},
    UnitKind.PDU: {UnitKind.REGION},
    UnitKind.OFFICE: {UnitKind.PDU},
}

prison_code_validator = RegexValidator(r"^[A-Z]{3}$", _("A prison code is 3 capital letters, like NGT."))


class OrgUnit(models.Model):
    kind = models.CharField(max_length=10, choices=UnitKind.choices)
    code = models.CharField(max_length=20, unique=True, help_text=_("Prisons use their 3-letter code, like NGT."))
    name = models.CharField(max_length=200)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    # Materialised path of ids ("/1/4/9/") so "this unit and everything below it" is one indexed query.
    path = models.CharField(max_length=255, db_index=True, editable=False)
    address = models.TextField(blank=True)

    class Meta:
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if path != self.path:
            if self.path:
                # A unit moved: its descendants' paths move with it.
                OrgUnit.objects.filter(path__startswith=self.path).exclude(pk=self.pk).update(
                    path=Concat(Value(path), Substr("path", len(self.path) + 1))
                )
            self.path = path
            OrgUnit.objects.filter(pk=self.pk).update(path=path)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        parent_kind = self.parent.kind if self.parent else None
        if parent_kind not in ALLOWED_PARENT_KINDS[self.kind]:
            raise ValidationError(_("A %(kind)s cannot sit under that unit.") % {"kind": self.get_kind_display()})
        if self.kind == UnitKind.PRISON:
            prison_code_validator(self.code)

    @property
    def is_custody(self) -> bool:
        return self.kind in (UnitKind.PRISON, UnitKind.WING)

    def prison(self) -> "OrgUnit | None":
        if self.kind == UnitKind.PRISON:
            return self
        if self.kind == UnitKind.WING and self.parent is not None:
            return self.parent
        return None


class Role(models.TextChoices):
    KEY_WORKER = "key_worker", _("Key worker")
    POM = "pom", _("Prison offender manager")
    PRACTITIONER = "practitioner", _("Probation practitioner")
    SENIOR = "senior", _("Senior practitioner or manager")
    SECURITY = "security", _("Security")
    CONTENT_EDITOR = "content_editor", _("Content editor")
    ADMINISTRATOR = "administrator", _("Administrator")


class StaffRole(models.Model):
    """A job a staff member holds at an organisation unit; it covers that unit and all below it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(max_length=20, choices=Role.choices)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="staff_roles")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role", "unit"], name="staff_role_unique")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} at {self.unit}"
