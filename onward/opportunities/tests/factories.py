import datetime as dt

import factory

from onward.opportunities.models import Sentence, SentenceType
from onward.people.tests.factories import PersonFactory


class SentenceFactory(factory.django.DjangoModelFactory[Sentence]):
    """A two-year standard sentence with every yes/no answered no: eligible for HDC when its date comes."""

    class Meta:
        model = Sentence

    person = factory.SubFactory(PersonFactory)
    sentence_type = SentenceType.STANDARD
    sentenced_on = dt.date(2026, 1, 5)
    term_months = 24
    sds40_excluded = True
    sex_offender_registration = False
    liable_to_removal = False
    recalled_from_hdc = False
    failed_to_return = False
    security_category = "C"
