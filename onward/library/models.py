"""The library: articles, audio, video and PDFs, with topics and series, revisions, translations and targeting.

An item's workflow is a state machine: ITEM_TRANSITIONS is the table services follow. Content and
targeting live on revisions (rows, never edited once written); publishing copies the newest
revision's targeting onto the item, so what people see changes only through the workflow. Anything
shown in custody needs a second person's approval of the revision (see `needs_approval`).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onward.core import approval

DEFAULT_LANGUAGE = "en-gb"


class Audience(models.TextChoices):
    CUSTODY = "custody", _("People in custody")
    COMMUNITY = "community", _("People in the community")
    BOTH = "both", _("Both")


# The same audiences as learning's courses: the approval rule for both lives in onward/core/approval.py.
CUSTODY_AUDIENCES = approval.CUSTODY_AUDIENCES
COMMUNITY_AUDIENCES = approval.COMMUNITY_AUDIENCES


class ItemKind(models.TextChoices):
    ARTICLE = "article", _("Article")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")
    PDF = "pdf", _("PDF document")


class ItemState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The workflow: services refuse any move not listed here. Editing makes a new revision and goes back to
# draft from any state (a published item stays visible, at its live revision, until the new one is published).
ITEM_TRANSITIONS: dict[str, frozenset[str]] = {
    ItemState.DRAFT: frozenset({ItemState.IN_REVIEW, ItemState.SCHEDULED, ItemState.PUBLISHED, ItemState.WITHDRAWN}),
    ItemState.IN_REVIEW: frozenset({ItemState.APPROVED, ItemState.DRAFT, ItemState.WITHDRAWN}),
    ItemState.APPROVED: frozenset({ItemState.SCHEDULED, ItemState.PUBLISHED, ItemState.DRAFT, ItemState.WITHDRAWN}),
    ItemState.SCHEDULED: frozenset({ItemState.PUBLISHED, ItemState.DRAFT, ItemState.WITHDRAWN}),
    ItemState.PUBLISHED: frozenset({ItemState.DRAFT, ItemState.WITHDRAWN}),
    ItemState.WITHDRAWN: frozenset({ItemState.DRAFT}),
}
# Sending an item back from review is a refusal, and withdrawing takes something away: both need a reason.
STATES_NEEDING_REASON = frozenset({ItemState.WITHDRAWN})
RETURN_NEEDS_REASON = True


class Topic(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)
    name_cy = models.CharField(max_length=100, blank=True)
    description = models.CharField(max_length=300, blank=True)
    description_cy = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def name_in(self, language: str) -> str:
        return self.name_cy if language == "cy" and self.name_cy else self.name

    def description_in(self, language: str) -> str:
        return self.description_cy if language == "cy" and self.description_cy else self.description


class Series(models.Model):
    """Items meant to be read in order, like the parts of a guide to leaving prison."""

    slug = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=150)
    title_cy = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.title

    def title_in(self, language: str) -> str:
        return self.title_cy if language == "cy" and self.title_cy else self.title


class Item(models.Model):
    kind = models.CharField(max_length=10, choices=ItemKind.choices, default=ItemKind.ARTICLE)
    topics = models.ManyToManyField(Topic, blank=True, related_name="items")
    series = models.ForeignKey(Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    series_position = models.PositiveSmallIntegerField(default=0)
    state = models.CharField(max_length=12, choices=ItemState.choices, default=ItemState.DRAFT, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    publish_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text=_("When a scheduled item goes live.")
    )
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)  # its latest publication
    # What people see: the revision last published (null before the first publication and after withdrawal),
    # and its targeting, copied at publication so that a draft's new targeting changes nothing yet.
    live_revision = models.ForeignKey(
        "library.Revision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.COMMUNITY)
    all_prisons = models.BooleanField(default=True)
    prisons = models.ManyToManyField("organisations.OrgUnit", blank=True, related_name="library_items")

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["audience", "published_at"])]

    def __str__(self) -> str:
        return f"Library item {self.pk}"


class Revision(models.Model):
    """One version of an item's content and targeting, as an editor saved it. Never changed afterwards,
    except to record its approval."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    audience = models.CharField(max_length=10, choices=Audience.choices)
    all_prisons = models.BooleanField(default=True)
    prisons = models.ManyToManyField("organisations.OrgUnit", blank=True, related_name="+")
    media = models.FileField(upload_to="library/", blank=True)  # private storage; served by a checked view
    media_type = models.CharField(max_length=60, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="library_revision_number_unique"),
            # Second-person approval, as an invariant: nobody approves their own revision.
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True) | ~models.Q(approved_by=models.F("created_by")),
                name="library_revision_not_self_approved",
            ),
        ]

    @property
    def needs_approval(self) -> bool:
        """Anything people in custody will see needs a second person's approval before it is published."""
        return approval.needs_second_approval(self.audience)

    def text_in(self, language: str) -> "RevisionText":
        """The text in this language where there is a translation, else English (prefetch `texts`)."""
        texts = {text.language: text for text in self.texts.all()}
        return texts.get(language) or texts[DEFAULT_LANGUAGE]


class RevisionText(models.Model):
    """A revision's words in one language. English is always there; other languages are translations."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(max_length=5)
    title = models.CharField(max_length=150)
    summary = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True, help_text=_("Markdown: headings, lists, bold, links. No HTML."))
    transcript = models.TextField(blank=True, help_text=_("For audio and video: every word that is said."))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["revision", "language"], name="library_text_language_unique")]


class SavedItem(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="library_saved")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-saved_at"]
        constraints = [models.UniqueConstraint(fields=["person", "item"], name="library_saved_once")]


class Rating(models.Model):
    """ "Did this help?": one answer per person and item (answering again changes it)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="library_ratings")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="ratings")
    helped = models.BooleanField()
    reason = models.CharField(max_length=500, blank=True)
    rated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "item"], name="library_rated_once")]


class ContentVersion(models.Model):
    """One row whose number goes up whenever what people can find changes; search indexes rebuild on it."""

    number = models.PositiveBigIntegerField(default=0)
    # A fresh token with every change too: a restored or rolled-back database can repeat a number.
    token = models.CharField(max_length=32, blank=True)
