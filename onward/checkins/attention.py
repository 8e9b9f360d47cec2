"""Why a person needs attention, from their check-ins (see `onward/people/attention.py`)."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy

from onward.checkins.models import CheckIn, State
from onward.people.attention import AttentionMoment, attention_reason


@attention_reason("checkin_missed", rank=20, label=gettext_lazy("Missed check-in"))
def _missed(moment: AttentionMoment) -> Exists:
    """A check-in whose window closed without it, that nobody has closed with a reason yet."""
    return Exists(CheckIn.objects.filter(person=OuterRef("pk"), state=State.EXPIRED))


@attention_reason("checkin_review", rank=30, label=gettext_lazy("Check-in to review"))
def _to_review(moment: AttentionMoment) -> Exists:
    """A check-in they sent that waits for the practitioner's review."""
    return Exists(CheckIn.objects.filter(person=OuterRef("pk"), state=State.SUBMITTED))
