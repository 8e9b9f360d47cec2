"""ID and bank account applications: the kinds Onward tracks, as data, and their life.

Each kind says what staff and the person read, which need of the plan it answers (its history records
each step) and which item of the release checklist it settles ("id", "bank_account", or none). Adding a
kind is adding an entry here; nothing else changes.

An application's life is `APPLICATION_TRANSITIONS` (in models.py): not started → requested → submitted →
waiting → received (or opened) → done; refused or withdrawn, with a reason, from any step before it is
received.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CHECKLIST_ID = "id"
CHECKLIST_BANK_ACCOUNT = "bank_account"


@dataclass(frozen=True)
class ApplicationKindInfo:
    code: str
    staff_words: Promise
    plain_words: Promise  # what the person reads, in their language
    need_code: str  # the plan's need it answers
    checklist: str  # the release checklist item it settles, or ""


APPLICATION_KINDS: tuple[ApplicationKindInfo, ...] = (
    ApplicationKindInfo(
        "birth_certificate", _("Birth certificate"), _("Get a copy of your birth certificate"), "no_id", CHECKLIST_ID
    ),
    ApplicationKindInfo(
        "provisional_licence",
        _("Provisional driving licence"),
        _("Get a provisional driving licence (photo ID)"),
        "no_id",
        CHECKLIST_ID,
    ),
    ApplicationKindInfo("passport", _("Passport"), _("Get a passport"), "no_id", CHECKLIST_ID),
    ApplicationKindInfo(
        "basic_bank_account",
        _("Basic bank account"),
        _("Open a bank account"),
        "no_bank_account",
        CHECKLIST_BANK_ACCOUNT,
    ),
    ApplicationKindInfo(
        "national_insurance",
        _("National Insurance number"),
        _("Get your National Insurance number"),
        "benefits",
        "",
    ),
    ApplicationKindInfo(
        "universal_credit_advance",
        _("Universal Credit advance claim"),
        _("Claim Universal Credit before you leave"),
        "benefits",
        "",
    ),
    ApplicationKindInfo(
        "cscs_card",
        _("CSCS card (to work on building sites)"),
        _("Get a CSCS card to work on building sites"),
        "job_search",
        "",
    ),
)
APPLICATION_KINDS_BY_CODE: dict[str, ApplicationKindInfo] = {kind.code: kind for kind in APPLICATION_KINDS}
APPLICATION_KIND_CODES = tuple(APPLICATION_KINDS_BY_CODE)
