"""Early release: the rules as versioned data, the sentence facts they read, and what staff decided.

A `RuleSet` is one version of the rules of one scheme (HDC or ROTL) with the date it came into force;
its `Rule` rows each cite their source and say whether that source was confirmed. A change in the law
is a new RuleSet (a data migration loading `rulesets.json`), never a change to an old one, so a
decision that points at its RuleSet keeps the rules it used.

An HDC case moves through `HDC_TRANSITIONS`: eligibility → risk assessment → home circumstances
(address) check → decision → curfew licence, or refused at any step with a reason. A ROTL grant has
its type, risk assessment and conditions; each absence is recorded out and back.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scheme(models.TextChoices):
    HDC = "hdc", _("Home detention curfew")
    ROTL = "rotl", _("Release on temporary licence")


class RuleSet(models.Model):
    """One version of one scheme's rules. Never changed once loaded: a change is a new version."""

    scheme = models.CharField(max_length=10, choices=Scheme.choices)
    version = models.PositiveIntegerField()
    in_force_from = models.DateField()
    title = models.CharField(max_length=200)
    source_note = models.TextField(blank=True)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["scheme", "in_force_from", "version"]
        constraints = [models.UniqueConstraint(fields=["scheme", "version"], name="ruleset_scheme_version_unique")]

    def __str__(self) -> str:
        return f"{self.scheme} v{self.version} (from {self.in_force_from})"


class RuleKind(models.TextChoices):
    PARAMETER = "parameter", _("Number the law sets")
    EXCLUSION = "exclusion", _("Not eligible")
    PRESUMED_UNSUITABLE = "presumed_unsuitable", _("Presumed unsuitable")
    DATE = "date", _("Eligibility date")
    PROCESS = "process", _("Step of the process")


class Rule(models.Model):
    """One rule: what it says (`value`, read by `engine.py` by its code), where it comes from, and if confirmed."""

    ruleset = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="rules")
    code = models.CharField(max_length=60)
    kind = models.CharField(max_length=30, choices=RuleKind.choices)
    label = models.CharField(max_length=300)
    value = models.JSONField(default=dict, blank=True)
    citation = models.CharField(max_length=300)
    source_url = models.URLField(max_length=300, blank=True)
    confirmed = models.BooleanField(default=False)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["ruleset", "pk"]
        constraints = [models.UniqueConstraint(fields=["ruleset", "code"], name="rule_code_unique_in_ruleset")]

    def __str__(self) -> str:
        return f"{self.code} ({self.citation})"


class SentenceType(models.TextChoices):
    STANDARD = "sds", _("Standard determinate sentence")
    EXTENDED = "extended", _("Extended sentence")
    SPECIAL_CUSTODIAL = "sopc", _("Special custodial sentence (offender of particular concern)")
    INDETERMINATE = "indeterminate", _("Life or indeterminate sentence")


class SecurityCategory(models.TextChoices):
    UNKNOWN = "", _("Not known")
    A = "A", _("Category A")
    B = "B", _("Category B")
    C = "C", _("Category C")
    D = "D", _("Category D (open)")
    YOI_CLOSED = "YOI_closed", _("Young offender, closed")
    YOI_OPEN = "YOI_open", _("Young offender, open")


class OffenceCategory(models.TextChoices):
    """Offences the rules single out. A sentence lists the ones that apply (staff record them)."""

    SEXUAL = "sexual", _("Sexual offence (history)")
    TERRORISM = "terrorism", _("Terrorist offence or terrorist connection")
    HOMICIDE = "homicide", _("Homicide")
    EXPLOSIVES = "explosives", _("Explosives")
    OFFENSIVE_WEAPON = "offensive_weapon", _("Possession of an offensive weapon")
    FIREARMS = "firearms", _("Firearms")
    CHILD_CRUELTY = "child_cruelty", _("Cruelty to children")
    RACIALLY_AGGRAVATED = "racially_aggravated", _("Racially or religiously aggravated offence")
    STALKING = "stalking", _("Stalking")
    HARASSMENT = "harassment", _("Harassment")
    NON_MOLESTATION_BREACH = "non_molestation_breach", _("Breach of a non-molestation or similar order")
    COERCIVE_CONTROL = "coercive_control", _("Controlling or coercive behaviour")
    STRANGULATION = "strangulation", _("Non-fatal strangulation or suffocation")


class Sentence(models.Model):
    """The sentence facts the rules read, one current sentence a person. A yes/no left empty is "not known".

    Recorded by staff through `services.sentence_record`, which keeps `Person.hdc_eligibility_date`,
    `conditional_release_date` and `rotl_eligibility_date` in step (through the people app's service).
    """

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="sentence")
    sentence_type = models.CharField(max_length=20, choices=SentenceType.choices, default=SentenceType.STANDARD)
    sentenced_on = models.DateField()
    term_months = models.PositiveIntegerField(default=0)
    term_days = models.PositiveIntegerField(default=0)
    remand_days = models.PositiveIntegerField(default=0)
    offence_categories = models.JSONField(default=list, blank=True)
    # Excluded from release at 40% (SDS40): the offence is in the 2024 Order's schedule. None: not known.
    sds40_excluded = models.BooleanField(null=True, blank=True)
    sex_offender_registration = models.BooleanField(null=True, blank=True)
    liable_to_removal = models.BooleanField(null=True, blank=True)
    recalled_from_hdc = models.BooleanField(null=True, blank=True)
    failed_to_return = models.BooleanField(null=True, blank=True)
    security_category = models.CharField(max_length=12, choices=SecurityCategory.choices, blank=True)
    escape_list = models.BooleanField(default=False)
    extradition = models.BooleanField(default=False)
    further_charges = models.BooleanField(default=False)
    sole_carer = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"Sentence of person {self.person_id} from {self.sentenced_on}"


class DecisionOutcome(models.TextChoices):
    PUT_FORWARD = "put_forward", _("Put forward")
    REFUSED = "refused", _("Refused")
    SNOOZED = "snoozed", _("Look again later")


class Decision(models.Model):
    """What staff decided about a person and a scheme, with the rule version and the assessment it saw."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="opportunity_decisions")
    scheme = models.CharField(max_length=10, choices=Scheme.choices)
    outcome = models.CharField(max_length=20, choices=DecisionOutcome.choices)
    reason = models.TextField(blank=True)
    snoozed_until = models.DateField(null=True, blank=True)
    exceptional_reason = models.TextField(blank=True)  # why a presumed-unsuitable person goes forward
    ruleset = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="decisions")
    assessment = models.JSONField(default=dict)  # the status, dates and criteria as shown when deciding
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        indexes = [models.Index(fields=["person", "scheme", "-decided_at"])]


class HdcStage(models.TextChoices):
    RISK = "risk", _("Risk assessment")
    ADDRESS = "address", _("Home circumstances check")
    DECISION = "decision", _("Decision")
    LICENCE = "licence", _("Curfew licence granted")
    REFUSED = "refused", _("Refused")


S = HdcStage
# Eligibility is settled before a case opens (a "put forward" decision opens it at the risk assessment).
HDC_TRANSITIONS: dict[str, frozenset[str]] = {
    S.RISK: frozenset({S.ADDRESS, S.REFUSED}),
    S.ADDRESS: frozenset({S.DECISION, S.REFUSED}),
    S.DECISION: frozenset({S.LICENCE, S.REFUSED}),
    S.LICENCE: frozenset(),
    S.REFUSED: frozenset(),
}
HDC_OPEN_STAGES = frozenset({S.RISK, S.ADDRESS, S.DECISION})


def hdc_transition_allowed(current: str, target: str) -> bool:
    return target in HDC_TRANSITIONS.get(current, frozenset())


class HdcCase(models.Model):
    """One HDC consideration of a person, from the risk assessment to the curfew licence or a refusal."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="hdc_cases")
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="hdc_case")
    ruleset = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(max_length=20, choices=HdcStage.choices, default=HdcStage.RISK)
    risk_notes = models.TextField(blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    address_notes = models.TextField(blank=True)
    decision_reasons = models.TextField(blank=True)
    curfew_terms_id = models.PositiveIntegerField(null=True, blank=True)  # the curfew app's terms, once granted
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]


class HdcStep(models.Model):
    """The case's history: each move between stages, by whom, with the notes given."""

    case = models.ForeignKey(HdcCase, on_delete=models.CASCADE, related_name="steps")
    from_stage = models.CharField(max_length=20, blank=True)
    to_stage = models.CharField(max_length=20)
    notes = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]


class AddressProposal(models.Model):
    """An address the person says they could live at on HDC. Staff check it in the home circumstances check."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="hdc_address_proposals")
    address = models.TextField()
    postcode = models.CharField(max_length=8)
    living_there = models.TextField(blank=True)  # who lives there, in the person's words
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]


class RotlType(models.TextChoices):
    RDR = "rdr", _("Resettlement day release")
    ROR = "ror", _("Resettlement overnight release")
    CRL = "crl", _("Childcare resettlement licence")
    SPL = "spl", _("Special purpose licence")


class RotlGrant(models.Model):
    """Permission for temporary release of one type, for a period, after a risk assessment, on conditions."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="rotl_grants")
    rotl_type = models.CharField(max_length=5, choices=RotlType.choices)
    ruleset = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+")
    risk_assessment = models.TextField()
    conditions = models.TextField()
    valid_from = models.DateField()
    valid_until = models.DateField()
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-granted_at", "-pk"]


class RotlAbsence(models.Model):
    """One time out of prison on a grant: when they left, when they were due back, when they came back."""

    grant = models.ForeignKey(RotlGrant, on_delete=models.CASCADE, related_name="absences")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="rotl_absences")
    out_at = models.DateTimeField()
    due_back_at = models.DateTimeField()
    returned_at = models.DateTimeField(null=True, blank=True)
    late_alert_raised = models.BooleanField(default=False)

    class Meta:
        ordering = ["-out_at", "-pk"]
        indexes = [models.Index(fields=["returned_at", "due_back_at"])]
