"""The services directory: local services a person can go to, where they are and when they are open.

A service is published (people see it) or withdrawn (only editors see it). Opening times are
structured: weekly periods in London wall-clock time (a period whose closing time is not after its
opening time runs past midnight into the next day), and dated exceptions (bank holidays, closures)
that replace the weekly periods that start on that date. No personal data is kept here except who
last changed or checked an entry, so the directory has no retention rule and no place in a subject
access export beyond the audit trail.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    HOUSING = "housing", _("Housing")
    FOOD = "food", _("Food banks and meals")
    DEBT = "debt", _("Money and debt advice")
    DRUGS_ALCOHOL = "drugs_alcohol", _("Drug and alcohol services")
    HEALTH = "health", _("Health")
    WORK = "work", _("Work and training")
    FAITH = "faith", _("Faith groups")
    FAMILY = "family", _("Family support")


class ServiceState(models.TextChoices):
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = ServiceState
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PUBLISHED: frozenset({S.WITHDRAWN}),
    S.WITHDRAWN: frozenset({S.PUBLISHED}),
}
REASON_REQUIRED = frozenset({S.WITHDRAWN})


def transition_allowed(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Service(models.Model):
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=Category.choices, db_index=True)
    description = models.TextField()
    description_cy = models.TextField(blank=True, help_text="Welsh; English is shown when empty.")
    what_to_bring = models.TextField(blank=True)
    what_to_bring_cy = models.TextField(blank=True)
    address = models.TextField()
    postcode = models.CharField(max_length=8, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    # WGS84 for maps and the API; British National Grid metres for the "near me" box and distances.
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    easting = models.FloatField(null=True, blank=True)
    northing = models.FloatField(null=True, blank=True)
    areas_served = models.CharField(max_length=300, blank=True)

    state = models.CharField(max_length=10, choices=ServiceState.choices, default=S.PUBLISHED)
    withdrawn_reason = models.TextField(blank=True)
    last_checked_on = models.DateField(null=True, blank=True)
    last_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["state", "easting", "northing"], name="service_state_position"),
            models.Index(fields=["state", "category", "name"], name="service_state_category"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=list(S.values)), name="service_state_known"),
            models.CheckConstraint(
                condition=~Q(state=S.WITHDRAWN) | ~Q(withdrawn_reason=""), name="service_withdrawn_has_reason"
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True) & Q(easting__isnull=True))
                | (Q(latitude__isnull=False) & Q(longitude__isnull=False) & Q(easting__isnull=False)),
                name="service_position_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        return self.state == S.PUBLISHED

    @property
    def has_position(self) -> bool:
        return self.easting is not None and self.northing is not None

    def text_in(self, language: str, field: str) -> str:
        """A translated field in the person's language when there is one, English otherwise."""
        if language.startswith("cy"):
            welsh = getattr(self, f"{field}_cy", "")
            if welsh:
                return str(welsh)
        return str(getattr(self, field))


class OpeningPeriod(models.Model):
    """Open on `weekday` from `opens` to `closes` (London time). closes <= opens: it ends the next day."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="opening_periods")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="opening_weekday_known"),
        ]

    @property
    def runs_past_midnight(self) -> bool:
        return self.closes <= self.opens


class OpeningException(models.Model):
    """A date with its own hours (or closed all day) instead of the weekly periods starting that day."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="opening_exceptions")
    date = models.DateField()
    closed = models.BooleanField(default=True)
    opens = models.TimeField(null=True, blank=True)
    closes = models.TimeField(null=True, blank=True)
    note = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["date", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed=True, opens__isnull=True, closes__isnull=True)
                | Q(closed=False, opens__isnull=False, closes__isnull=False),
                name="opening_exception_closed_or_hours",
            ),
        ]
