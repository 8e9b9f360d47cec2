"""Early release: the sentence facts, decisions, the HDC case, addresses given, temporary release and absences."""

from onward.core.subject_access import Section, rows, subject_access_section
from onward.opportunities.models import AddressProposal, Decision, HdcCase, RotlAbsence, RotlGrant, Sentence
from onward.people.models import Person


@subject_access_section("early_release", covers=[Sentence, Decision, HdcCase, AddressProposal, RotlGrant, RotlAbsence])
def early_release_section(person: Person) -> Section:
    return Section(
        {
            "sentence": rows(
                Sentence.objects.filter(person=person),
                "sentence_type",
                "sentenced_on",
                "term_months",
                "term_days",
                "remand_days",
                "offence_categories",
                "security_category",
                "updated_at",
            ),
            "decisions": rows(
                Decision.objects.filter(person=person).order_by("decided_at", "pk"),
                "scheme",
                "outcome",
                "reason",
                "snoozed_until",
                "exceptional_reason",
                "ruleset__version",
                "decided_at",
            ),
            "hdc_cases": rows(
                HdcCase.objects.filter(person=person).order_by("opened_at", "pk"),
                "stage",
                "address",
                "postcode",
                "decision_reasons",
                "opened_at",
                "closed_at",
            ),
            "addresses_given": rows(
                AddressProposal.objects.filter(person=person).order_by("created_at", "pk"),
                "address",
                "postcode",
                "living_there",
                "created_at",
            ),
            "temporary_release": rows(
                RotlGrant.objects.filter(person=person).order_by("granted_at", "pk"),
                "rotl_type",
                "conditions",
                "valid_from",
                "valid_until",
                "granted_at",
            ),
            "absences": rows(
                RotlAbsence.objects.filter(person=person).order_by("out_at", "pk"),
                "out_at",
                "due_back_at",
                "returned_at",
            ),
        }
    )
