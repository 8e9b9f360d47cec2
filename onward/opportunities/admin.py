"""Early release in the admin, read-only: rules change by a new version, the rest through audited services."""

from django.contrib import admin

from onward.core.admin_mixins import ReadOnlyAdmin
from onward.core.admin_site import admin_site
from onward.opportunities.models import (
    AddressProposal,
    Decision,
    HdcCase,
    RotlAbsence,
    RotlGrant,
    Rule,
    RuleSet,
    Sentence,
)


@admin.register(RuleSet, site=admin_site)
class RuleSetAdmin(ReadOnlyAdmin):
    list_display = ["scheme", "version", "in_force_from", "title"]


@admin.register(Rule, site=admin_site)
class RuleAdmin(ReadOnlyAdmin):
    list_display = ["ruleset", "code", "kind", "citation", "confirmed"]
    list_filter = ["confirmed", "kind"]


@admin.register(Sentence, site=admin_site)
class SentenceAdmin(ReadOnlyAdmin):
    list_display = ["person", "sentence_type", "sentenced_on", "term_months", "term_days"]


@admin.register(Decision, site=admin_site)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["person", "scheme", "outcome", "ruleset", "decided_at"]


@admin.register(HdcCase, site=admin_site)
class HdcCaseAdmin(ReadOnlyAdmin):
    list_display = ["person", "stage", "opened_at", "closed_at"]


@admin.register(AddressProposal, site=admin_site)
class AddressProposalAdmin(ReadOnlyAdmin):
    list_display = ["person", "postcode", "created_at"]


@admin.register(RotlGrant, site=admin_site)
class RotlGrantAdmin(ReadOnlyAdmin):
    list_display = ["person", "rotl_type", "valid_from", "valid_until"]


@admin.register(RotlAbsence, site=admin_site)
class RotlAbsenceAdmin(ReadOnlyAdmin):
    list_display = ["person", "out_at", "due_back_at", "returned_at"]
