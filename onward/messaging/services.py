"""Every change to conversations, messages, contacts and broadcasts. Each checks the policy, writes its
audit event in the same transaction and queues notifications (never with the message text)."""

import csv
import hashlib
import re
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from onward.accounts.actors import PersonUser, StaffUser
from onward.audit.services import audit_record
from onward.core.actors import UserKind
from onward.core.audit_actions import AuditAction
from onward.core.permissions import require
from onward.messaging.attachments import PreparedAttachment
from onward.messaging.models import (
    ApprovedContact,
    Attachment,
    Audience,
    AuthorKind,
    Broadcast,
    BroadcastDelivery,
    ContactLink,
    ContactStatus,
    Conversation,
    ConversationKind,
    Draft,
    FlagKind,
    Message,
    MessageRead,
    MessageState,
    Participant,
    ScreeningPolicy,
    Term,
    TermKind,
    WordList,
)
from onward.messaging.rules import word_list_role
from onward.messaging.screening import (
    DIRECTION_CONTROL_KIND,
    DIRECTION_CONTROL_TERM,
    PATTERNS,
    SPACES,
    Match,
    Screener,
    build_screener,
    has_direction_controls,
    normalise,
    screener_for,
)
from onward.notifications.services import notification_queue
from onward.organisations.models import OrgUnit, UnitKind
from onward.people.models import CUSTODY_STATUSES, Person, StaffAssignment, Status
from onward.people.rules import acting_role

DIRECTION_CONTROL_MATCH = Match(DIRECTION_CONTROL_TERM, DIRECTION_CONTROL_KIND, "")
HTML_TAG = re.compile(r"<\s*/?\s*[a-z!][^>]*>", re.IGNORECASE)
CLIENT_KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")


@dataclass(frozen=True)
class IssuedLink:
    link: ContactLink
    token: str

    @property
    def path(self) -> str:
        return reverse("messaging:contact_reply", args=[self.token])


# --- Conversations ------------------------------------------------------------------------------


def conversation_for_person(*, actor: StaffUser | PersonUser, person: Person) -> Conversation:
    """The person's conversation with their staff, started if need be, with today's staff in it."""
    with transaction.atomic():
        conversation, created = Conversation.objects.get_or_create(person=person, kind=ConversationKind.STAFF)
        # Asked of the row itself, as the policy answers for stored rows; a refusal rolls a new one back.
        require(actor, "conversation.view", conversation)
        if created:
            audit_record(
                actor=actor,
                role=_role(actor, person),
                action=AuditAction.CONVERSATION_STARTED,
                person=person,
                target=conversation,
            )
    conversation_participants_sync(conversation)
    return conversation


def conversation_participants_sync(conversation: Conversation) -> list[Participant]:
    """Today's assigned staff join; staff no longer assigned leave. What anyone wrote stays in the history.

    This is how the conversation follows the person through the gate: at release the custody staff's
    assignments end and the probation practitioner's begins.
    """
    person = conversation.person
    wanted: dict[int, str] = {}
    if conversation.kind == ConversationKind.STAFF:
        for staff_id, role in StaffAssignment.objects.filter(person=person, ended_at__isnull=True).values_list(
            "staff_id", "role"
        ):
            wanted.setdefault(staff_id, role)
    account = getattr(person, "account", None)
    if account is not None:
        wanted[account.pk] = "person"
    current = {p.user_id: p for p in conversation.participants.filter(left_at__isnull=True)}
    if set(current) == set(wanted):
        return list(current.values())
    now = timezone.now()
    with transaction.atomic():
        leaving = [pk for user_id, pk in ((u, p.pk) for u, p in current.items()) if user_id not in wanted]
        Participant.objects.filter(pk__in=leaving).update(left_at=now)
        joining = [
            Participant(conversation=conversation, user_id=user_id, role=role)
            for user_id, role in wanted.items()
            if user_id not in current
        ]
        Participant.objects.bulk_create(joining)
        if joining or leaving:
            audit_record(
                actor=None,
                action=AuditAction.CONVERSATION_PARTICIPANTS_CHANGED,
                person=person,
                target=conversation,
                data={"joined": [p.user_id for p in joining], "left": [u for u in current if u not in wanted]},
            )
    return list(conversation.participants.filter(left_at__isnull=True))


# --- Messages -----------------------------------------------------------------------------------


def message_send(
    *,
    actor: StaffUser | PersonUser,
    conversation: Conversation,
    body: str,
    attachments: Sequence[PreparedAttachment] = (),
    client_key: str = "",
) -> Message:
    """A person or member of staff writes. Screened before anyone else can see it; the policy decides.

    With a client key (the compose form's, or an API caller's), sending again with the same key gives back
    the first message: a retry after a lost connection never makes a second one. The author's draft in
    this conversation is deleted in the same transaction.
    """
    require(actor, "conversation.write", conversation)
    key = _client_key(client_key)
    earlier = _earlier_send(conversation, key, author_user=actor)
    if earlier is not None:
        return earlier
    body = _clean_body(body)
    _check_attachments(attachments)
    person = conversation.person
    is_person = actor.kind == UserKind.PERSON
    author_kind = AuthorKind.PERSON if is_person else AuthorKind.STAFF
    conversation_participants_sync(conversation)  # today's staff hear of it (pages that only read do not sync)
    try:
        with transaction.atomic():
            if is_person:
                # Counted under a lock on the author's account row: two sends at once are counted one
                # after the other, so the limit holds however many arrive together.
                list(get_user_model().objects.select_for_update().filter(pk=actor.pk).values_list("pk", flat=True))
                _rate_limit(
                    Message.objects.filter(author_user=actor),
                    timedelta(hours=1),
                    settings.MESSAGING_PERSON_MESSAGES_PER_HOUR,
                    _(
                        "You have sent %(count)s messages in the last hour, which is the most you can send. "
                        "Try again later."
                    ),
                )
            message = _message_store(
                conversation=conversation,
                author_kind=author_kind,
                author_user=actor,
                body=body,
                attachments=attachments,
                may_hold=is_person,
                client_key=key,
            )
            Draft.objects.filter(conversation=conversation, author_user=actor).delete()
            audit_record(
                actor=actor,
                role=_role(actor, person),
                action=AuditAction.MESSAGE_SENT,
                person=person,
                target=message,
                data={"conversation": conversation.pk, "state": message.state, "flag": message.flag},
            )
            if message.is_visible_to_recipient:
                _notify_recipients(message)
            if message.flag == FlagKind.RISK:
                _notify_risk(message)
    except IntegrityError:
        earlier = _earlier_send(conversation, key, author_user=actor)  # the same send, racing itself
        if earlier is None:
            raise
        return earlier
    return message


def message_send_by_contact(*, link: ContactLink, body: str, client_key: str = "") -> Message:
    """An approved contact replies through their link. Always screened as a message to someone in custody."""
    contact = link.contact
    if not contact.may_write or link.conversation.contact_id != contact.pk:
        raise PermissionDenied("conversation.write")
    key = _client_key(client_key)
    earlier = _earlier_send(link.conversation, key, author_contact=contact)
    if earlier is not None:
        return earlier
    body = _clean_body(body)
    try:
        with transaction.atomic():
            list(ApprovedContact.objects.select_for_update().filter(pk=contact.pk).values_list("pk"))  # one at a time
            _rate_limit(
                Message.objects.filter(author_contact=contact),
                timedelta(days=1),
                settings.MESSAGING_CONTACT_MESSAGES_PER_DAY,
                _("You have sent %(count)s messages today, which is the most you can send. Try again tomorrow."),
            )
            message = _message_store(
                conversation=link.conversation,
                author_kind=AuthorKind.CONTACT,
                author_contact=contact,
                body=body,
                attachments=(),
                may_hold=True,
                client_key=key,
            )
            Draft.objects.filter(conversation=link.conversation, author_contact=contact).delete()
            audit_record(
                actor=None,
                role="contact",
                action=AuditAction.MESSAGE_SENT_BY_CONTACT,
                person=link.conversation.person,
                target=message,
                data={"contact": contact.pk, "state": message.state, "flag": message.flag},
            )
            if message.is_visible_to_recipient:
                _notify_recipients(message)
    except IntegrityError:
        earlier = _earlier_send(link.conversation, key, author_contact=contact)
        if earlier is None:
            raise
        return earlier
    return message


def message_release(*, actor: StaffUser, message: Message, note: str = "") -> Message:
    """Security lets a held message through, optionally with a note kept for the review record."""
    require(actor, "messaging.review", message)
    with transaction.atomic():
        locked = _locked(message, MessageState.RELEASED)
        now = timezone.now()
        locked.state = MessageState.RELEASED
        locked.delivered_at = now
        locked.reviewed_by, locked.reviewed_at, locked.review_note = actor, now, note.strip()
        locked.flag_cleared_at = now
        locked.save()
        audit_record(
            actor=actor,
            role="security",
            action=AuditAction.MESSAGE_RELEASED,
            person=locked.conversation.person,
            target=locked,
            reason=locked.review_note,
            data={"matched": locked.matched_terms},
        )
        _notify_recipients(locked)
    return locked


def message_block(*, actor: StaffUser, message: Message, reason: str) -> Message:
    """Security stop a held message. The sender sees the reason, so it must be in plain words."""
    require(actor, "messaging.review", message)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Enter the reason the sender will see."))
    with transaction.atomic():
        locked = _locked(message, MessageState.BLOCKED)
        now = timezone.now()
        locked.state = MessageState.BLOCKED
        locked.block_reason = reason
        locked.reviewed_by, locked.reviewed_at, locked.flag_cleared_at = actor, now, now
        locked.save()
        audit_record(
            actor=actor,
            role="security",
            action=AuditAction.MESSAGE_BLOCKED,
            person=locked.conversation.person,
            target=locked,
            reason=reason,
            data={"matched": locked.matched_terms},
        )
        if locked.author_user is not None:
            notification_queue(
                channel="in_app",
                recipient=str(locked.author_user_id),
                user=locked.author_user,
                person=locked.conversation.person,
                subject=_("A message you sent was not delivered"),
                body=_("Open your messages to see why."),
                idempotency_key=f"message-blocked:{locked.pk}",
            )
    return locked


def message_flag_clear(*, actor: StaffUser, message: Message, note: str = "") -> Message:
    """Mark a delivered, flagged message as reviewed: security for the word list, the practitioner for risk words."""
    action = "messaging.review" if message.flag == FlagKind.SCREENING else "conversation.view"
    require(actor, action, message if action == "messaging.review" else message.conversation)
    if actor.kind != UserKind.STAFF:  # a person sees their own conversation, but never reviews its flags
        raise PermissionDenied(action)
    if not message.flag or message.flag_cleared_at is not None:
        raise ValidationError(_("This message has already been reviewed."))
    with transaction.atomic():
        now = timezone.now()
        Message.objects.filter(pk=message.pk).update(
            flag_cleared_at=now, reviewed_by=actor, reviewed_at=now, review_note=note.strip()
        )
        message.refresh_from_db()
        audit_record(
            actor=actor,
            role=_role(actor, message.conversation.person),
            action=AuditAction.MESSAGE_FLAG_REVIEWED,
            person=message.conversation.person,
            target=message,
            reason=note.strip(),
        )
    return message


def messages_mark_read(
    *, actor: StaffUser | PersonUser, conversation: Conversation, messages: Sequence[Message]
) -> int:
    """Read receipts for what the user has now seen (others' messages only)."""
    require(actor, "conversation.view", conversation)
    unread = [
        MessageRead(message=m, user=actor)
        for m in messages
        if m.author_user_id != actor.pk and m.is_visible_to_recipient and not getattr(m, "read_by_me", False)
    ]
    MessageRead.objects.bulk_create(unread, ignore_conflicts=True)
    return len(unread)


# --- Drafts -------------------------------------------------------------------------------------
# A draft is private to its author and never delivered, so it is not screened. Saves come every few
# seconds while someone types, so they are not audited one by one; the retention job's deletions are.


def draft_save(*, actor: StaffUser | PersonUser, conversation: Conversation, body: str) -> Draft | None:
    """Keep what the author is writing in this conversation. An empty body deletes the draft."""
    require(actor, "conversation.write", conversation)
    return _draft_store(conversation, body, author_user=actor)


def draft_discard(*, actor: StaffUser | PersonUser, conversation: Conversation) -> None:
    require(actor, "conversation.view", conversation)
    Draft.objects.filter(conversation=conversation, author_user=actor).delete()


def draft_save_by_contact(*, link: ContactLink, body: str) -> Draft | None:
    """An approved contact's reply in progress, kept for the contact (whichever of their links they open)."""
    if not link.contact.may_write or link.conversation.contact_id != link.contact_id:
        raise PermissionDenied("conversation.write")
    return _draft_store(link.conversation, body, author_contact=link.contact)


def drafts_expire(now: Any = None) -> dict[str, int]:
    """Delete drafts not touched for MESSAGING_DRAFT_RETENTION_DAYS (the retention job runs it and audits it)."""
    at = now or timezone.now()
    cutoff = at - timedelta(days=settings.MESSAGING_DRAFT_RETENTION_DAYS)
    deleted, _counts = Draft.objects.filter(updated_at__lt=cutoff).delete()
    return {"drafts": deleted}


def _draft_store(
    conversation: Conversation,
    body: str,
    *,
    author_user: StaffUser | PersonUser | None = None,
    author_contact: ApprovedContact | None = None,
) -> Draft | None:
    body = (body or "").replace("\r\n", "\n")
    limit = settings.MESSAGING_MESSAGE_MAX_CHARS
    if len(body) > limit:
        raise ValidationError(_("Your message must be %(limit)s characters or fewer.") % {"limit": limit})
    mine = Draft.objects.filter(conversation=conversation, author_user=author_user, author_contact=author_contact)
    if not body.strip():
        mine.delete()
        return None
    now = timezone.now()
    for _attempt in range(2):
        if mine.update(body=body, updated_at=now):
            return mine.get()
        try:
            with transaction.atomic():
                return Draft.objects.create(
                    conversation=conversation,
                    author_user=author_user,
                    author_contact=author_contact,
                    body=body,
                    updated_at=now,
                )
        except IntegrityError:
            continue  # another save made it first: update that one
    raise ValidationError(_("Your draft could not be saved. Try again."))


# --- Approved contacts --------------------------------------------------------------------------


def contact_approve(
    *,
    actor: StaffUser,
    person: Person,
    name: str,
    relationship: str,
    email: str = "",
    phone: str = "",
) -> ApprovedContact:
    """Security approve someone a person in custody may write to; their conversation starts empty."""
    require(actor, "contact.manage", person)
    if not (email.strip() or phone.strip()):
        raise ValidationError(_("Enter an email address or a phone number."))
    with transaction.atomic():
        contact = ApprovedContact.objects.create(
            person=person,
            name=name.strip(),
            relationship=relationship.strip(),
            email=email.strip(),
            phone=phone.strip(),
            status=ContactStatus.APPROVED,
            decided_by=actor,
        )
        Conversation.objects.create(person=person, kind=ConversationKind.CONTACT, contact=contact)
        audit_record(
            actor=actor,
            role="security",
            action=AuditAction.CONTACT_APPROVED,
            person=person,
            target=contact,
            data={"relationship": contact.relationship},
        )
    return contact


def contact_reinstate(*, actor: StaffUser, contact: ApprovedContact, reason: str = "") -> ApprovedContact:
    return _contact_set_status(
        actor=actor, contact=contact, status=ContactStatus.APPROVED, reason=reason, action=AuditAction.CONTACT_APPROVED
    )


def contact_suspend(*, actor: StaffUser, contact: ApprovedContact, reason: str) -> ApprovedContact:
    return _contact_set_status(
        actor=actor,
        contact=contact,
        status=ContactStatus.SUSPENDED,
        reason=reason,
        action=AuditAction.CONTACT_SUSPENDED,
    )


def contact_bar(*, actor: StaffUser, contact: ApprovedContact, reason: str) -> ApprovedContact:
    return _contact_set_status(
        actor=actor, contact=contact, status=ContactStatus.BARRED, reason=reason, action=AuditAction.CONTACT_BARRED
    )


def contact_link_issue(*, contact: ApprovedContact, conversation: Conversation) -> IssuedLink:
    """A new link for the contact; only its digest is stored. The caller's transaction holds it."""
    token = secrets.token_urlsafe(32)
    link = ContactLink.objects.create(
        contact=contact,
        conversation=conversation,
        token_digest=_digest(token),
        expires_at=timezone.now() + timedelta(days=settings.MESSAGING_CONTACT_LINK_DAYS),
    )
    return IssuedLink(link=link, token=token)


def contact_link_resolve(token: str) -> ContactLink | None:
    """The link for this token if it has not expired or been withdrawn; None otherwise."""
    if not token or len(token) > 100:
        return None
    link = (
        ContactLink.objects.select_related("contact", "conversation__person__unit")
        .filter(token_digest=_digest(token), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if link is None or link.conversation.contact_id != link.contact_id:
        return None
    return link


# --- Broadcasts ---------------------------------------------------------------------------------


def broadcast_send(*, actor: StaffUser, audience: str, title: str, body: str, unit: OrgUnit | None = None) -> Broadcast:
    """An announcement to a cohort, fixed now. It appears in each person's inbox and cannot be replied to."""
    if audience not in Audience.values:
        raise ValidationError(_("Choose who the announcement is for."))
    if audience == Audience.CASELOAD:
        unit = None
    elif unit is None:
        raise ValidationError(_("Choose the wing, prison or delivery unit."))
    require(actor, "broadcast.send", unit)
    title, body = title.strip(), _clean_body(body)
    if not title:
        raise ValidationError(_("Enter a title."))
    people = _cohort(actor, audience, unit)
    with transaction.atomic():
        broadcast = Broadcast.objects.create(author=actor, audience=audience, unit=unit, title=title, body=body)
        deliveries = [BroadcastDelivery(broadcast=broadcast, person_id=pk) for pk in people]
        BroadcastDelivery.objects.bulk_create(deliveries, batch_size=1000)
        broadcast.recipient_count = len(deliveries)
        broadcast.save(update_fields=["recipient_count"])
        audit_record(
            actor=actor,
            role="staff",
            action=AuditAction.BROADCAST_SENT,
            target=broadcast,
            data={"audience": audience, "unit": unit.pk if unit else None, "recipients": len(deliveries)},
        )
    return broadcast


def broadcast_mark_read(*, actor: PersonUser, delivery: BroadcastDelivery) -> None:
    require(actor, "person.self", delivery.person)
    if delivery.read_at is None:
        BroadcastDelivery.objects.filter(pk=delivery.pk).update(read_at=timezone.now())


# --- Word lists ---------------------------------------------------------------------------------


def word_list_for(person: Person) -> WordList | None:
    """The list that screens this person's messages: their prison's in custody, their PDU's in the community."""
    unit = person.unit
    key_unit_id = unit.parent_id if unit.kind in (UnitKind.WING, UnitKind.OFFICE) and unit.parent_id else unit.pk
    return WordList.objects.filter(unit_id=key_unit_id).only("pk", "revision", "policy").first()


@dataclass(frozen=True)
class UploadResult:
    added: int
    duplicates: int


TERM_MAX_CHARS = 100
CATEGORY_MAX_CHARS = 50
UPLOAD_ERRORS_SHOWN = 20
AUDITED_TERMS_MAX = 1000


def word_list_create(*, actor: StaffUser, unit: OrgUnit, policy: str, reason: str = "") -> WordList:
    """Start a prison's screening list (or a delivery unit's risk words, which start with the default ones)."""
    require(actor, "wordlist.manage", unit)
    if unit.kind not in (UnitKind.PRISON, UnitKind.PDU):
        raise ValidationError(_("Choose a prison or a probation delivery unit."))
    if policy not in ScreeningPolicy.values:
        raise ValidationError(_("Choose what happens to a message that matches."))
    with transaction.atomic():
        if WordList.objects.filter(unit=unit).exists():
            raise ValidationError(_("%(unit)s already has a word list.") % {"unit": unit.name})
        word_list = WordList.objects.create(unit=unit, policy=policy)
        seeded = []
        if unit.kind == UnitKind.PDU:
            # Without a list the PDU's messages are checked against the default risk words; keep them.
            seeded = [
                Term(word_list=word_list, kind=TermKind.PHRASE, text=text, category="risk", added_by=actor)
                for text in dict.fromkeys(settings.MESSAGING_DEFAULT_RISK_TERMS)
            ]
            Term.objects.bulk_create(seeded)
        audit_record(
            actor=actor,
            role=word_list_role(actor, unit) or "",
            action=AuditAction.WORD_LIST_CREATED,
            target=word_list,
            reason=reason.strip(),
            data={"unit": unit.pk, "before": None, "after": {"policy": policy, "terms": len(seeded)}},
        )
    return word_list


def word_list_policy_set(*, actor: StaffUser, word_list: WordList, policy: str, reason: str) -> WordList:
    """Hold matching messages for review before delivery, or deliver them and flag them. Needs a reason."""
    require(actor, "wordlist.manage", word_list)
    reason = reason.strip()
    if policy not in ScreeningPolicy.values:
        raise ValidationError(_("Choose what happens to a message that matches."))
    if not reason:
        raise ValidationError(_("Enter the reason for the change."))
    with transaction.atomic():
        locked = WordList.objects.select_for_update().select_related("unit").get(pk=word_list.pk)
        before = locked.policy
        locked.policy = policy
        locked.revision = uuid.uuid4()
        locked.save()
        audit_record(
            actor=actor,
            role=word_list_role(actor, locked.unit) or "",
            action=AuditAction.WORD_LIST_POLICY_CHANGED,
            target=locked,
            reason=reason,
            data={"before": {"policy": before}, "after": {"policy": policy}},
        )
    return locked


def term_add(*, actor: StaffUser, word_list: WordList, kind: str, text: str, category: str = "") -> Term:
    """One word, phrase or pattern. The list's revision changes, so the next message is screened with it."""
    require(actor, "wordlist.manage", word_list)
    kind, text = term_clean(kind, text)
    category = _category_clean(category)
    with transaction.atomic():
        locked = _word_list_locked(word_list)
        if _term_key(kind, text) in _term_keys(locked):
            raise ValidationError(_("That is already on the list."))
        term = Term.objects.create(word_list=locked, kind=kind, text=text, category=category, added_by=actor)
        _revision_bump(locked)
        audit_record(
            actor=actor,
            role=word_list_role(actor, locked.unit) or "",
            action=AuditAction.WORD_LIST_TERM_ADDED,
            target=locked,
            data={"before": None, "after": {"kind": kind, "text": text, "category": category}},
        )
    return term


def term_remove(*, actor: StaffUser, term: Term, reason: str) -> None:
    require(actor, "wordlist.manage", term.word_list)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Enter the reason for removing it."))
    with transaction.atomic():
        locked = _word_list_locked(term.word_list)
        before = {"kind": term.kind, "text": term.text, "category": term.category}
        deleted, _counts = Term.objects.filter(pk=term.pk, word_list=locked).delete()
        if not deleted:
            raise ValidationError(_("That is no longer on the list."))
        _revision_bump(locked)
        audit_record(
            actor=actor,
            role=word_list_role(actor, locked.unit) or "",
            action=AuditAction.WORD_LIST_TERM_REMOVED,
            target=locked,
            reason=reason,
            data={"before": before, "after": None},
        )


def terms_upload(*, actor: StaffUser, word_list: WordList, content: bytes) -> UploadResult:
    """A plain text or CSV file, one term a line: `parcel`, `over the wall`, or `kind,text[,category]` with
    kind word, phrase or pattern. Blank lines and lines starting with # are skipped. Any bad line and nothing
    is added: the error names each bad line. Terms already on the list (or twice in the file) are counted."""
    require(actor, "wordlist.manage", word_list)
    if len(content) > settings.MESSAGING_WORD_LIST_UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file must be %(size)s KB or smaller.")
            % {"size": settings.MESSAGING_WORD_LIST_UPLOAD_MAX_BYTES // 1024}
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file must be plain text (UTF-8), like one saved from a spreadsheet as CSV.")
        ) from None
    lines = text.splitlines()
    if len(lines) > settings.MESSAGING_WORD_LIST_UPLOAD_MAX_LINES:
        raise ValidationError(
            _("The file must have %(count)s lines or fewer.") % {"count": settings.MESSAGING_WORD_LIST_UPLOAD_MAX_LINES}
        )
    parsed: list[tuple[str, str, str]] = []
    errors: list[str] = []
    for number, line in enumerate(lines, start=1):
        try:
            row = _upload_line(line, first=number == 1)
        except ValidationError as error:
            errors.append(_("Line %(number)s: %(error)s") % {"number": number, "error": error.messages[0]})
            continue
        if row is not None:
            parsed.append(row)
    if errors:
        shown = errors[:UPLOAD_ERRORS_SHOWN]
        if len(errors) > UPLOAD_ERRORS_SHOWN:
            shown.append(_("And %(count)s more lines.") % {"count": len(errors) - UPLOAD_ERRORS_SHOWN})
        raise ValidationError(shown)
    if not parsed:
        raise ValidationError(_("The file has no terms in it."))
    with transaction.atomic():
        locked = _word_list_locked(word_list)
        seen = _term_keys(locked)
        before = len(seen)
        new: list[Term] = []
        for kind, term_text, category in parsed:
            key = _term_key(kind, term_text)
            if key in seen:
                continue
            seen.add(key)
            new.append(Term(word_list=locked, kind=kind, text=term_text, category=category, added_by=actor))
        Term.objects.bulk_create(new, batch_size=1000)
        if new:
            _revision_bump(locked)
        audit_record(
            actor=actor,
            role=word_list_role(actor, locked.unit) or "",
            action=AuditAction.WORD_LIST_TERMS_UPLOADED,
            target=locked,
            data={
                "file_sha256": hashlib.sha256(content).hexdigest(),
                "before": {"terms": before},
                "after": {"terms": before + len(new)},
                "added": [[t.kind, t.text] for t in new[:AUDITED_TERMS_MAX]],
                "added_count": len(new),
                "duplicates": len(parsed) - len(new),
            },
        )
    return UploadResult(added=len(new), duplicates=len(parsed) - len(new))


def term_clean(kind: str, text: str) -> tuple[str, str]:
    """A term as it is kept: patterns only from the fixed, safe set (staff never type a regular expression);
    words and phrases of letters or numbers, spaces collapsed."""
    text = SPACES.sub(" ", (text or "").strip())
    if kind == TermKind.PATTERN:
        if text not in PATTERNS:
            raise ValidationError(_("Choose one of the patterns: %(names)s.") % {"names": ", ".join(PATTERNS)})
        return kind, text
    if kind not in (TermKind.WORD, TermKind.PHRASE):
        raise ValidationError(_("Choose word, phrase or pattern."))
    if not text:
        raise ValidationError(_("Enter a word or phrase."))
    if len(text) > TERM_MAX_CHARS:
        raise ValidationError(_("A term must be %(limit)s characters or fewer.") % {"limit": TERM_MAX_CHARS})
    if any(not ch.isprintable() for ch in text) or HTML_TAG.search(text):
        raise ValidationError(_("A term can only have letters, numbers, spaces and punctuation."))
    key = normalise(text)
    if sum(ch.isalnum() for ch in key) < 2:
        raise ValidationError(_("A term must have at least 2 letters or numbers."))
    if kind == TermKind.WORD and " " in text:
        raise ValidationError(_("A whole word cannot have spaces. Add it as a phrase."))
    if kind == TermKind.WORD and " " in key:
        kind = TermKind.PHRASE  # "self-harm" is screened as the words "self harm"
    return kind, text


def _upload_line(line: str, *, first: bool) -> tuple[str, str, str] | None:
    line = line.strip()
    if not line or line.startswith("#"):
        return None
    if "," not in line:
        if len(line) > 1 and line[0] == line[-1] == '"':
            line = line[1:-1].strip()  # a spreadsheet's quoted cell
        return (*term_clean(TermKind.PHRASE if " " in line else TermKind.WORD, line), "")
    fields = [field.strip() for field in next(csv.reader([line]))]
    kind = fields[0].lower()
    if first and kind == "kind":
        return None  # a header row
    if kind not in TermKind.values:
        raise ValidationError(_("Start the line with word, phrase or pattern, or leave out the commas."))
    if len(fields) > 3:
        raise ValidationError(_("Use at most 3 columns: kind, term and category."))
    category = _category_clean(fields[2] if len(fields) > 2 else "")
    return (*term_clean(kind, fields[1] if len(fields) > 1 else ""), category)


def _category_clean(category: str) -> str:
    category = SPACES.sub(" ", (category or "").strip())
    if len(category) > CATEGORY_MAX_CHARS:
        raise ValidationError(_("A category must be %(limit)s characters or fewer.") % {"limit": CATEGORY_MAX_CHARS})
    return category


def _term_key(kind: str, text: str) -> tuple[str, str]:
    """Words and phrases screen the same way (whole words, case and accents ignored), so they share keys."""
    return (TermKind.PATTERN, text) if kind == TermKind.PATTERN else ("text", normalise(text))


def _term_keys(word_list: WordList) -> set[tuple[str, str]]:
    return {
        _term_key(kind, text) for kind, text in Term.objects.filter(word_list=word_list).values_list("kind", "text")
    }


def _word_list_locked(word_list: WordList) -> WordList:
    return WordList.objects.select_for_update().select_related("unit").get(pk=word_list.pk)


def _revision_bump(word_list: WordList) -> None:
    """Every process's cached screener is keyed by the revision: the next message is screened with the change."""
    word_list.revision = uuid.uuid4()
    WordList.objects.filter(pk=word_list.pk).update(revision=word_list.revision, updated_at=timezone.now())


def screen(person: Person, body: str) -> tuple[list[Match], WordList | None]:
    """What the message matches on the list that screens this person's messages (and the list)."""
    word_list = word_list_for(person)
    if word_list is None and person.status not in CUSTODY_STATUSES:
        return _default_risk_screener().matches(body), None
    return screener_for(word_list).matches(body), word_list


@dataclass(frozen=True)
class ScreeningTrial:
    held: bool
    flagged: bool
    matched: list[Match]
    canonical: str
    has_direction_controls: bool

    def as_dict(self) -> dict[str, Any]:
        return {"held": self.held, "matched": [m.term for m in self.matched], "canonical": self.canonical}


def screening_evaluate(word_list: WordList, text: str) -> ScreeningTrial:
    """What would happen to a message from a person in this list's prison (or delivery unit): held, flagged
    or delivered, which terms it matches and the canonical form it was screened in. Stores nothing."""
    result = screener_for(word_list).screen(text)
    matched = list(result.matches)
    in_custody = word_list.unit.kind != UnitKind.PDU
    if result.has_direction_controls and in_custody:
        matched.append(DIRECTION_CONTROL_MATCH)
    held = in_custody and bool(matched) and (word_list.policy == ScreeningPolicy.HOLD or result.has_direction_controls)
    return ScreeningTrial(
        held=held,
        flagged=bool(matched),
        matched=matched,
        canonical=result.canonical,
        has_direction_controls=result.has_direction_controls,
    )


def screening_check(*, unit_code: str, text: str) -> ScreeningTrial:
    """`manage.py screening_check`: an operator on the server tries a message against a unit's list (a wing or
    office uses its prison's or delivery unit's). Audited as a test by the system; nothing else is stored."""
    unit = OrgUnit.objects.filter(code=unit_code.strip().upper()).select_related("parent").first()
    if unit is None:
        raise LookupError(_("No prison or delivery unit has the code %(code)s.") % {"code": unit_code})
    if unit.kind in (UnitKind.WING, UnitKind.OFFICE) and unit.parent is not None:
        unit = unit.parent
    word_list = WordList.objects.filter(unit=unit).select_related("unit").first()
    if word_list is None:
        raise LookupError(_("%(unit)s has no word list.") % {"unit": unit.name})
    trial = screening_evaluate(word_list, text)
    with transaction.atomic():
        audit_record(
            actor=None,
            role="operator",
            action=AuditAction.WORD_LIST_TRIED,
            target=word_list,
            data=_trial_audit(text, trial),
        )
    return trial


def screening_try(*, actor: StaffUser, word_list: WordList, text: str) -> ScreeningTrial:
    """Security try a message against their list, to test it. Audited as a test; never stored as a message
    (the audit keeps the text's length and digest, not the text)."""
    require(actor, "wordlist.manage", word_list)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Enter a message to try."))
    limit = settings.MESSAGING_MESSAGE_MAX_CHARS
    if len(text) > limit:
        raise ValidationError(_("The message must be %(limit)s characters or fewer.") % {"limit": limit})
    trial = screening_evaluate(word_list, text)
    with transaction.atomic():
        audit_record(
            actor=actor,
            role=word_list_role(actor, word_list.unit) or "",
            action=AuditAction.WORD_LIST_TRIED,
            target=word_list,
            data=_trial_audit(text, trial),
        )
    return trial


def _trial_audit(text: str, trial: ScreeningTrial) -> dict[str, Any]:
    return {
        "test": True,
        "characters": len(text),
        "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
        "held": trial.held,
        "matched": [m.term for m in trial.matched],
    }


# --- helpers ------------------------------------------------------------------------------------


def _message_store(
    *,
    conversation: Conversation,
    author_kind: str,
    body: str,
    attachments: Sequence[PreparedAttachment],
    may_hold: bool,
    author_user: StaffUser | PersonUser | None = None,
    author_contact: ApprovedContact | None = None,
    client_key: str | None = None,
) -> Message:
    person = conversation.person
    matches, word_list = screen(person, body)
    in_custody = person.status in CUSTODY_STATUSES
    # Text whose direction is overridden does not read the way it is written: always held in custody.
    hidden_direction = in_custody and has_direction_controls(body)
    if hidden_direction:
        matches = [*matches, DIRECTION_CONTROL_MATCH]
    state, flag = MessageState.DELIVERED, FlagKind.NONE
    if matches and in_custody:
        flag = FlagKind.SCREENING
        policy = word_list.policy if word_list is not None else ScreeningPolicy.HOLD
        if (policy == ScreeningPolicy.HOLD or hidden_direction) and may_hold:
            state = MessageState.HELD
    elif matches:
        flag = FlagKind.RISK  # community: flagged to the practitioner, never held
    now = timezone.now()
    message = Message(
        conversation=conversation,
        author_kind=author_kind,
        author_user=author_user,
        author_contact=author_contact,
        body=body,
        state=MessageState.PENDING_SCREENING,
        created_at=now,
        client_key=client_key or None,
    )
    if not message.may_become(state):
        raise RuntimeError("screening produced a state the table does not allow")
    message.state = state
    message.flag = flag
    message.matched_terms = [{"term": m.term, "kind": m.kind, "category": m.category} for m in matches]
    message.delivered_at = now if state == MessageState.DELIVERED else None
    message.save()
    for prepared in attachments:
        attachment = Attachment(
            message=message, content_type=prepared.content_type, size_bytes=len(prepared.content), name=prepared.name
        )
        attachment.file.save(prepared.name, ContentFile(prepared.content), save=False)
        attachment.save()
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
    return message


def _notify_recipients(message: Message) -> None:
    """In-app for everyone in the conversation but the author; a contact gets a link; never the text.

    Notices are coalesced per conversation and hour, so a busy conversation does not flood anyone's phone.
    """
    conversation = message.conversation
    person = conversation.person
    if conversation.kind == ConversationKind.CONTACT and message.author_kind == AuthorKind.PERSON:
        contact = conversation.contact
        assert contact is not None
        if not contact.may_write:
            return
        issued = contact_link_issue(contact=contact, conversation=conversation)
        url = settings.PUBLIC_BASE_URL.rstrip("/") + issued.path
        channel, address = ("email", contact.email) if contact.email else ("sms", contact.phone)
        notification_queue(
            channel=channel,
            recipient=address,
            person=person,
            subject=_("You have a new message on Onward"),
            body=_("%(name)s has sent you a message. Read it and reply here: %(url)s")
            % {"name": person.first_name, "url": url},
            idempotency_key=f"message:{message.pk}:contact",
        )
        return
    for participant in conversation.participants.filter(left_at__isnull=True).select_related("user"):
        if participant.user_id == message.author_user_id:
            continue
        is_person = getattr(participant.user, "kind", "") == "person"
        with override(person.preferred_language if is_person else get_language()):  # the reader's language
            notification_queue(
                channel="in_app",
                recipient=str(participant.user_id),
                user=participant.user,
                person=person,
                subject=_("You have a new message"),
                body=_("Open your messages to read it."),
                idempotency_key=f"messages:{conversation.pk}:{participant.user_id}:{_hour(message)}",
            )
    if (
        message.author_kind != AuthorKind.PERSON
        and person.status not in CUSTODY_STATUSES
        and person.status != Status.ENDED
        and (person.phone_verified or person.email_verified)
    ):
        channel, address = ("sms", person.phone) if person.phone_verified else ("email", person.email)
        with override(person.preferred_language):
            notification_queue(
                channel=channel,
                recipient=address,
                person=person,
                body=_("You have a new message on Onward. Sign in to read it."),
                idempotency_key=f"messages:{conversation.pk}:outside:{_hour(message)}",
            )


def _hour(message: Message) -> str:
    """One "new messages" notice per recipient per conversation per hour, however many messages arrive."""
    return (message.delivered_at or message.created_at).strftime("%Y%m%d%H")


def _notify_risk(message: Message) -> None:
    for assignment in StaffAssignment.objects.filter(
        person=message.conversation.person, ended_at__isnull=True
    ).select_related("staff"):
        notification_queue(
            channel="in_app",
            recipient=str(assignment.staff_id),
            user=assignment.staff,
            person=message.conversation.person,
            subject=_("A message needs your attention"),
            body=_("A message from %(ref)s contains words about risk. Open the conversation to review it.")
            % {"ref": message.conversation.person.reference},
            idempotency_key=f"message-risk:{message.pk}:{assignment.staff_id}",
        )


def _contact_set_status(
    *, actor: StaffUser, contact: ApprovedContact, status: str, reason: str, action: AuditAction
) -> ApprovedContact:
    require(actor, "contact.manage", contact)
    reason = reason.strip()
    if status != ContactStatus.APPROVED and not reason:
        raise ValidationError(_("Enter the reason."))
    with transaction.atomic():
        before = contact.status
        contact.status = status
        contact.status_reason = "" if status == ContactStatus.APPROVED else reason
        contact.decided_by, contact.decided_at = actor, timezone.now()
        contact.save()
        if status != ContactStatus.APPROVED:
            contact.links.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        audit_record(
            actor=actor,
            role="security",
            action=action,
            person=contact.person,
            target=contact,
            reason=reason,
            data={"before": before, "after": status},
        )
    return contact


def _cohort(actor: StaffUser, audience: str, unit: OrgUnit | None) -> list[int]:
    people = Person.objects.all()
    if audience == Audience.CASELOAD:
        people = people.filter(assignments__staff=actor, assignments__ended_at__isnull=True)
    elif unit is None:
        return []
    elif audience == Audience.WING:
        if unit.kind != UnitKind.WING:
            raise ValidationError(_("Choose a wing or unit."))
        people = people.filter(unit=unit, status__in=CUSTODY_STATUSES)
    elif audience == Audience.PRISON:
        if unit.kind != UnitKind.PRISON:
            raise ValidationError(_("Choose a prison."))
        people = people.filter(unit__path__startswith=unit.path, status__in=CUSTODY_STATUSES)
    else:
        if unit.kind != UnitKind.PDU:
            raise ValidationError(_("Choose a probation delivery unit."))
        people = people.filter(unit__path__startswith=unit.path, status=Status.HDC)
    return list(people.values_list("pk", flat=True).distinct())


def _clean_body(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ValidationError(_("Write your message."))
    limit = settings.MESSAGING_MESSAGE_MAX_CHARS
    if len(body) > limit:
        raise ValidationError(_("Your message must be %(limit)s characters or fewer.") % {"limit": limit})
    if HTML_TAG.search(body):
        raise ValidationError(_("Messages cannot contain web page code. Remove anything written between < and >."))
    return body


def _check_attachments(attachments: Sequence[PreparedAttachment]) -> None:
    if len(attachments) > settings.MESSAGING_ATTACHMENTS_PER_MESSAGE_MAX:
        raise ValidationError(
            _("You can attach up to %(count)s files.") % {"count": settings.MESSAGING_ATTACHMENTS_PER_MESSAGE_MAX}
        )


def _rate_limit(sent: Any, window: timedelta, limit: int, text: str) -> None:
    count = sent.filter(created_at__gte=timezone.now() - window).count()
    if count >= limit:
        raise ValidationError(text % {"count": count})


def _client_key(key: str) -> str:
    key = (key or "").strip()
    if key and not CLIENT_KEY.fullmatch(key):
        raise ValidationError(_("Something went wrong sending your message. Reload the page and try again."))
    return key


def _earlier_send(
    conversation: Conversation,
    key: str,
    *,
    author_user: StaffUser | PersonUser | None = None,
    author_contact: ApprovedContact | None = None,
) -> Message | None:
    """The message this author already sent with this key, if any. Someone else's key is refused."""
    if not key:
        return None
    earlier = Message.objects.filter(conversation=conversation, client_key=key).first()
    if earlier is None:
        return None
    same_author = (
        earlier.author_user_id == author_user.pk
        if author_user is not None
        else author_contact is not None and earlier.author_contact_id == author_contact.pk
    )
    if not same_author:
        raise ValidationError(_("Something went wrong sending your message. Reload the page and try again."))
    return earlier


def _locked(message: Message, target: str) -> Message:
    locked = Message.objects.select_for_update(of=("self",)).select_related("conversation__person").get(pk=message.pk)
    if not locked.may_become(target):
        raise ValidationError(_("This message has already been dealt with."))
    return locked


def _role(actor: StaffUser | PersonUser | None, person: Person) -> str:
    if actor is None:
        return ""
    return acting_role(actor, person) or ("security" if actor.kind == UserKind.STAFF else "")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _default_risk_screener() -> Screener:
    global _RISK_SCREENER
    if _RISK_SCREENER is None:
        _RISK_SCREENER = build_screener(("phrase", t, "risk") for t in settings.MESSAGING_DEFAULT_RISK_TERMS)
    return _RISK_SCREENER


_RISK_SCREENER: Screener | None = None
