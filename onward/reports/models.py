"""Reports keep two tables of their own: published unit costs (dated, with their source) and the monthly
rollup of every figure, which the `reports_refresh` job rebuilds from the other apps' tables.

Neither holds anything about one person: the rollup is counts by unit and month.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CostKind(models.TextChoices):
    SUPERVISION = "supervision", _("Probation supervision in the community")
    TAG = "tag", _("Electronic monitoring (a tag)")
    CUSTODY = "custody", _("Custody (a prison place)")


class UnitCost(models.Model):
    """A published cost per person per day, in force from `valid_from` until a newer one of its kind."""

    kind = models.CharField(max_length=20, choices=CostKind.choices)
    pence_per_day = models.PositiveIntegerField()
    valid_from = models.DateField()
    source_title = models.CharField(max_length=300)
    source_url = models.URLField(max_length=500)
    # False until someone has checked the figure against the source itself: the page says "check by hand".
    confirmed = models.BooleanField(default=False)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["kind", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["kind", "valid_from"], name="unit_cost_once_per_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.valid_from}: {self.pence_per_day}p a day"


class MonthlyFigure(models.Model):
    """One count of one figure for one unit and month (`bucket` splits a count, e.g. by days taken)."""

    figure = models.CharField(max_length=40)
    unit = models.ForeignKey("organisations.OrgUnit", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    series = models.CharField(max_length=200)
    bucket = models.IntegerField(default=0)
    value = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["month", "unit"], name="monthly_figure_month_unit")]


class RollupRun(models.Model):
    """When the rollup was last rebuilt, and from which month: the page says "figures up to" this time."""

    finished_at = models.DateTimeField(default=timezone.now, db_index=True)
    from_month = models.DateField()
    rows = models.PositiveIntegerField(default=0)
