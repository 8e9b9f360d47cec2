"""Why a person in custody needs a look: eligible for HDC (or within the weeks the checks take) and not considered."""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy

from onward.opportunities.models import Decision, DecisionOutcome, Scheme, Sentence
from onward.people.attention import AttentionMoment, attention_reason
from onward.people.models import Status

# The checks take about 10 weeks, so the reason shows from then (the "process_start" rule; check by hand).
HDC_ATTENTION_LEAD_DAYS = 70


@attention_reason("hdc_not_considered", rank=75, label=gettext_lazy("Eligible for HDC, not yet considered"))
def _hdc_not_considered(moment: AttentionMoment) -> Q:
    """Sentenced, with a sentence recorded and the HDC eligibility date worked out from it within 10 weeks (or
    past), and no decision that still counts (a "look again later" counts until its date)."""
    counting = Decision.objects.filter(person=OuterRef("pk"), scheme=Scheme.HDC).exclude(
        outcome=DecisionOutcome.SNOOZED, snoozed_until__lte=moment.today
    )
    until = moment.today + timedelta(days=HDC_ATTENTION_LEAD_DAYS)
    # Only a date worked out here (a sentence recorded): one typed in or imported by hand is not checked.
    worked_out = Sentence.objects.filter(person=OuterRef("pk"))
    return Q(status=Status.SENTENCED, hdc_eligibility_date__lte=until) & Q(Exists(worked_out)) & ~Q(Exists(counting))
