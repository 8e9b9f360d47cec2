"""The seven resettlement pathways and the needs an assessment can find, as data.

Each need has a code (stored), words for staff, plain words for the person (what their to-do says),
who usually owns it, and the library topics with something to read about it (matched to
`library.Topic.slug`). Adding a need is adding an entry here; nothing else changes.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Pathway(models.TextChoices):
    ACCOMMODATION = "accommodation", _("Somewhere to live")
    ATTITUDES = "attitudes", _("Attitudes, thinking and behaviour")
    FAMILY = "family", _("Children, families and communities")
    DRUGS_ALCOHOL = "drugs_alcohol", _("Drugs and alcohol")
    WORK = "work", _("Education, skills and work")
    FINANCE_ID = "finance_id", _("Money and ID")
    HEALTH = "health", _("Health")


class Owner(models.TextChoices):
    PRISON = "prison", _("Prison staff")
    PROBATION = "probation", _("Probation")
    PARTNER = "partner", _("A partner service")
    PERSON = "person", _("You")


@dataclass(frozen=True)
class NeedKind:
    code: str
    pathway: str
    staff_words: str
    plain_words: Promise  # what the person reads, in their language
    owner: str
    library_topics: tuple[str, ...] = ()


NEEDS: tuple[NeedKind, ...] = (
    NeedKind(
        "no_address",
        Pathway.ACCOMMODATION,
        "No address to go to on release",
        _("Find somewhere to live when you leave"),
        Owner.PROBATION,
        ("housing",),
    ),
    NeedKind(
        "tenancy_at_risk",
        Pathway.ACCOMMODATION,
        "Tenancy at risk while in custody",
        _("Keep your home while you are away"),
        Owner.PRISON,
        ("housing",),
    ),
    NeedKind(
        "travel_home",
        Pathway.ACCOMMODATION,
        "Travel to the release address to arrange",
        _("Know how you will get to where you are staying"),
        Owner.PRISON,
        ("housing",),
    ),
    NeedKind(
        "thinking_skills",
        Pathway.ATTITUDES,
        "Wants support with thinking and behaviour",
        _("Get support with how you think and act"),
        Owner.PRISON,
        ("wellbeing",),
    ),
    NeedKind(
        "family_contact",
        Pathway.FAMILY,
        "Wants contact with children or family",
        _("Keep in touch with your family"),
        Owner.PARTNER,
        ("family",),
    ),
    NeedKind(
        "drug_treatment",
        Pathway.DRUGS_ALCOHOL,
        "Needs drug treatment to continue after release",
        _("Keep your drug treatment going after you leave"),
        Owner.PARTNER,
        ("drugs-and-alcohol",),
    ),
    NeedKind(
        "alcohol_support",
        Pathway.DRUGS_ALCOHOL,
        "Wants support with alcohol",
        _("Get help with drinking"),
        Owner.PARTNER,
        ("drugs-and-alcohol",),
    ),
    NeedKind(
        "no_cv",
        Pathway.WORK,
        "Has no CV",
        _("Write your CV"),
        Owner.PERSON,
        ("work",),
    ),
    NeedKind(
        "job_search",
        Pathway.WORK,
        "Wants work or training on release",
        _("Find work or training for when you leave"),
        Owner.PARTNER,
        ("work",),
    ),
    NeedKind(
        "no_id",
        Pathway.FINANCE_ID,
        "Has no photo ID",
        _("Get photo ID"),
        Owner.PRISON,
        ("money", "id"),
    ),
    NeedKind(
        "no_bank_account",
        Pathway.FINANCE_ID,
        "Has no bank account",
        _("Open a bank account"),
        Owner.PRISON,
        ("money", "bank-account"),
    ),
    NeedKind(
        "debts",
        Pathway.FINANCE_ID,
        "Has debts to manage",
        _("Sort out money you owe"),
        Owner.PARTNER,
        ("money",),
    ),
    NeedKind(
        "benefits",
        Pathway.FINANCE_ID,
        "Will need to claim benefits",
        _("Claim benefits for when you leave"),
        Owner.PROBATION,
        ("money", "benefits"),
    ),
    NeedKind(
        "gp_registration",
        Pathway.HEALTH,
        "Not registered with a GP",
        _("Register with a doctor (GP)"),
        Owner.PRISON,
        ("health",),
    ),
    NeedKind(
        "medication",
        Pathway.HEALTH,
        "Needs medication on release",
        _("Have your medicine ready for when you leave"),
        Owner.PRISON,
        ("health",),
    ),
    NeedKind(
        "mental_health",
        Pathway.HEALTH,
        "Wants mental health support",
        _("Get support for your mental health"),
        Owner.PARTNER,
        ("health", "wellbeing"),
    ),
)
NEEDS_BY_CODE: dict[str, NeedKind] = {need.code: need for need in NEEDS}
NEED_CODES = tuple(NEEDS_BY_CODE)


def needs_by_pathway() -> list[tuple[str, str, list[NeedKind]]]:
    """(pathway code, its name, its needs) in the order of `Pathway`."""
    return [(p.value, str(p.label), [n for n in NEEDS if n.pathway == p.value]) for p in Pathway]


def library_topics_for(codes: list[str]) -> list[str]:
    """The library topics to suggest for these needs, first-named first, each once."""
    topics: list[str] = []
    for code in codes:
        for slug in NEEDS_BY_CODE[code].library_topics if code in NEEDS_BY_CODE else ():
            if slug not in topics:
                topics.append(slug)
    return topics
