"""Conversations between a person and their staff or approved contacts, screened messages, and broadcasts.

A message's review is a state machine: MESSAGE_TRANSITIONS is the table services follow; a blocked
message needs a reason the sender can read.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConversationKind(models.TextChoices):
    STAFF = "staff", _("With staff")
    CONTACT = "contact", _("With an approved contact")


class Conversation(models.Model):
    """One per person with their staff (it follows them through the gate), and one per approved contact."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="conversations")
    kind = models.CharField(max_length=10, choices=ConversationKind.choices, default=ConversationKind.STAFF)
    contact = models.ForeignKey(
        "messaging.ApprovedContact", null=True, blank=True, on_delete=models.PROTECT, related_name="conversations"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-last_message_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="staff", contact__isnull=True)
                | models.Q(kind="contact", contact__isnull=False),
                name="conversation_kind_matches_contact",
            ),
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(kind="staff"), name="one_staff_conversation_per_person"
            ),
            models.UniqueConstraint(fields=["person", "contact"], name="one_conversation_per_contact"),
        ]

    def __str__(self) -> str:
        return f"Conversation {self.pk} ({self.kind})"


class Participant(models.Model):
    """A member of staff (or the person) in a conversation. Staff who stop working with the person leave it,
    and what they wrote stays in the history."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20)  # "person" or an assignment role
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "user"],
                condition=models.Q(left_at__isnull=True),
                name="one_active_participation",
            )
        ]


class AuthorKind(models.TextChoices):
    STAFF = "staff", _("Staff")
    PERSON = "person", _("Person")
    CONTACT = "contact", _("Approved contact")


class MessageState(models.TextChoices):
    PENDING_SCREENING = "pending_screening", _("Being checked")
    DELIVERED = "delivered", _("Delivered")
    HELD = "held", _("Held for checks")
    RELEASED = "released", _("Released after checks")
    BLOCKED = "blocked", _("Not delivered")


# The review state machine: services refuse any move not listed here.
MESSAGE_TRANSITIONS: dict[str, frozenset[str]] = {
    MessageState.PENDING_SCREENING: frozenset({MessageState.DELIVERED, MessageState.HELD}),
    MessageState.HELD: frozenset({MessageState.RELEASED, MessageState.BLOCKED}),
    MessageState.DELIVERED: frozenset(),
    MessageState.RELEASED: frozenset(),
    MessageState.BLOCKED: frozenset(),
}
STATES_NEEDING_REASON = frozenset({MessageState.BLOCKED})
VISIBLE_TO_RECIPIENT = (MessageState.DELIVERED, MessageState.RELEASED)


class FlagKind(models.TextChoices):
    NONE = "", _("Not flagged")
    SCREENING = "screening", _("Matched the prison's word list")
    RISK = "risk", _("Risk words (self-harm, threats)")


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    author_kind = models.CharField(max_length=10, choices=AuthorKind.choices)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author_contact = models.ForeignKey(
        "messaging.ApprovedContact", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField()  # plain text only; escaped on display; length checked by message_send
    state = models.CharField(
        max_length=20, choices=MessageState.choices, default=MessageState.PENDING_SCREENING, db_index=True
    )
    flag = models.CharField(max_length=10, choices=FlagKind.choices, blank=True, default="")
    flag_cleared_at = models.DateTimeField(null=True, blank=True)
    matched_terms = models.JSONField(default=list, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    block_reason = models.TextField(blank=True)  # shown to the sender in plain words
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # The sender's idempotency key (one per compose form or API call): a retried send after a lost
    # connection finds the first message instead of making a second one.
    client_key = models.CharField(max_length=64, null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["conversation", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "client_key"],
                condition=models.Q(client_key__isnull=False),
                name="message_client_key_unique",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(author_kind="contact", author_contact__isnull=False, author_user__isnull=True)
                    | (
                        models.Q(author_kind__in=["staff", "person"], author_user__isnull=False)
                        & models.Q(author_contact__isnull=True)
                    )
                ),
                name="message_has_one_author",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="blocked") | ~models.Q(block_reason=""), name="blocked_message_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"Message {self.pk} ({self.state})"

    def may_become(self, state: str) -> bool:
        return state in MESSAGE_TRANSITIONS[self.state]

    @property
    def is_visible_to_recipient(self) -> bool:
        return self.state in VISIBLE_TO_RECIPIENT


class MessageRead(models.Model):
    """A read receipt: this user opened the conversation after this message arrived."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="one_read_per_user")]


class Attachment(models.Model):
    """An image (re-encoded, metadata stripped) or a PDF, checked by its content; stored privately."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="messaging/attachments/%Y/%m/")
    content_type = models.CharField(max_length=40)
    size_bytes = models.PositiveIntegerField()
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)


class Draft(models.Model):
    """What someone is writing and has not sent yet: one per author per conversation.

    Seen only by its author, never screened (it is never delivered), deleted when the message is sent
    and by the retention job once it has not been touched for MESSAGING_DRAFT_RETENTION_DAYS.
    """

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="drafts")
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    author_contact = models.ForeignKey(
        "messaging.ApprovedContact", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField()
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(author_user__isnull=False, author_contact__isnull=True)
                | models.Q(author_user__isnull=True, author_contact__isnull=False),
                name="draft_has_one_author",
            ),
            models.UniqueConstraint(
                fields=["conversation", "author_user"],
                condition=models.Q(author_user__isnull=False),
                name="one_draft_per_user",
            ),
            models.UniqueConstraint(
                fields=["conversation", "author_contact"],
                condition=models.Q(author_contact__isnull=False),
                name="one_draft_per_contact",
            ),
        ]

    def __str__(self) -> str:
        return f"Draft {self.pk}"


class ContactStatus(models.TextChoices):
    APPROVED = "approved", _("Approved")
    SUSPENDED = "suspended", _("Suspended")
    BARRED = "barred", _("Barred")


class ApprovedContact(models.Model):
    """Someone outside a person in custody has been approved to write to. Replies by link, never an account."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="approved_contacts")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=10, choices=ContactStatus.choices, default=ContactStatus.APPROVED)
    status_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person", "name"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(email="", phone=""), name="contact_has_email_or_phone"),
            models.CheckConstraint(
                condition=models.Q(status="approved") | ~models.Q(status_reason=""),
                name="contact_suspension_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship})"

    @property
    def may_write(self) -> bool:
        return self.status == ContactStatus.APPROVED


class ContactLink(models.Model):
    """A link a contact opens to read and reply. Only the SHA-256 digest of its token is kept."""

    contact = models.ForeignKey(ApprovedContact, on_delete=models.CASCADE, related_name="links")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="links")
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)


class ScreeningPolicy(models.TextChoices):
    HOLD = "hold", _("Hold for review before delivery")
    FLAG = "flag", _("Deliver and flag for review")


class WordList(models.Model):
    """A prison's screening list (or a probation delivery unit's risk words), and the prison's policy."""

    unit = models.OneToOneField("organisations.OrgUnit", on_delete=models.CASCADE, related_name="word_list")
    policy = models.CharField(max_length=10, choices=ScreeningPolicy.choices, default=ScreeningPolicy.HOLD)
    show_read_receipts_to_people = models.BooleanField(default=True)
    # A new value on every change to the terms; each process's cached automaton is keyed by it.
    revision = models.UUIDField(default=uuid.uuid4)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Word list for {self.unit}"


class TermKind(models.TextChoices):
    WORD = "word", _("Whole word")
    PHRASE = "phrase", _("Phrase")
    PATTERN = "pattern", _("Pattern (phone number, bank details…)")


class Term(models.Model):
    word_list = models.ForeignKey(WordList, on_delete=models.CASCADE, related_name="terms")
    kind = models.CharField(max_length=10, choices=TermKind.choices, default=TermKind.WORD)
    # A word or phrase, or for patterns the name of one in onward.messaging.screening.PATTERNS.
    text = models.CharField(max_length=200)
    category = models.CharField(max_length=50, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["word_list", "kind", "text"], name="term_unique")]
        indexes = [models.Index(fields=["word_list", "text"], name="term_list_text")]

    def __str__(self) -> str:
        return self.text


class Audience(models.TextChoices):
    WING = "wing", _("A wing or unit")
    PRISON = "prison", _("A prison")
    CASELOAD = "caseload", _("My caseload")
    HDC_PDU = "hdc_pdu", _("Everyone on home detention curfew in a delivery unit")


class Broadcast(models.Model):
    """An announcement to a cohort, fixed when sent. It cannot be replied to."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    unit = models.ForeignKey("organisations.OrgUnit", null=True, blank=True, on_delete=models.PROTECT)
    title = models.CharField(max_length=120)
    body = models.TextField()
    recipient_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(audience="caseload") | models.Q(unit__isnull=False), name="broadcast_has_unit"
            )
        ]


class BroadcastDelivery(models.Model):
    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="deliveries")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="broadcasts_received")
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["broadcast", "person"], name="one_delivery_per_person")]
