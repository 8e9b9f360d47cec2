"""Why a person needs attention, from their messages (see `onward/people/attention.py`)."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy

from onward.messaging.models import VISIBLE_TO_RECIPIENT, AuthorKind, ConversationKind, Message, MessageRead
from onward.people.attention import AttentionMoment, attention_reason


@attention_reason("message_unread", rank=60, label=gettext_lazy("Unread message"))
def _unread(moment: AttentionMoment) -> Exists:
    """A message from them to their staff, delivered, that no member of staff has opened yet.

    Anyone on staff reading it counts (a colleague covering the case has seen it), so a senior's team
    view does not list every message they were never meant to read.
    """
    read = MessageRead.objects.filter(message=OuterRef("pk"))
    return Exists(
        Message.objects.filter(
            conversation__person=OuterRef("pk"),
            conversation__kind=ConversationKind.STAFF,
            author_kind=AuthorKind.PERSON,
            state__in=sorted(VISIBLE_TO_RECIPIENT),
        ).filter(~Exists(read))
    )
