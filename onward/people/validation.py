"""Check and tidy a person's details from plain values: one function for the staff pages, the API and the import.

`person_fields_clean(raw, ...)` takes a mapping of field name to value (strings as typed or read from a
file, or already typed values: dates, an `OrgUnit`) and returns a `PersonCheck`: the clean values, or a
list of `FieldError(field, message)` in plain words. It never writes. Only the keys present in `raw` are
read; for an update pass `current=person` and the rest come from the record, so the rules that join
fields (dates in order, a unit that fits the status) see the whole record.

Uniqueness of prison numbers and CRNs and units by code need the database: pass `taken` and `units`
(loaded once for a whole file with `identifiers_taken()` and `units_by_code()`) to check many rows in
a fixed number of queries; without them the function asks the database itself (two small queries).
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onward.location.postcodes import FULL_POSTCODE, PostcodeError, PostcodePlace, postcode_locate
from onward.organisations.models import OrgUnit, UnitKind
from onward.people.models import COMMUNITY_STATUSES, CUSTODY_STATUSES, Language, Person, RiskLevel, Status

# A postcode's centre (Code-Point Open) is within about this distance of the addresses it covers.
POSTCODE_CENTRE_PRECISION_M = 100
NAME_MAX_CHARS = 100
ADDRESS_LINE_MAX_CHARS = 100
EMAIL_MAX_CHARS = 254
YOUNGEST_AGE_YEARS = 10  # the age of criminal responsibility in England and Wales
OLDEST_AGE_YEARS = 110

NAME_FIELDS = ("first_name", "last_name")
IDENTIFIER_FIELDS = ("prison_number", "crn")
ADDRESS_FIELDS = ("address_line_1", "address_line_2", "town", "postcode")
# Every key date, in the order a sentence runs.
DATE_FIELDS = (
    "sentence_date",
    "hdc_eligibility_date",
    "hdc_actual_date",
    "rotl_eligibility_date",
    "parole_eligibility_date",
    "conditional_release_date",
    "release_date",
    "licence_expiry_date",
    "sentence_expiry_date",
)
# Everything a person's record holds that staff edit, as the API and the import name them.
PERSON_FIELDS = (
    *NAME_FIELDS,
    "date_of_birth",
    *IDENTIFIER_FIELDS,
    "status",
    "unit",
    *ADDRESS_FIELDS,
    "phone",
    "email",
    "preferred_language",
    "risk_level",
    *DATE_FIELDS,
)
# Fields the check works out (never given): the whole address as text and its position.
DERIVED_FIELDS = ("address", "address_latitude", "address_longitude", "address_precision_m")

# (earlier, later): the later date may not come before the earlier one. Read "earlier ≤ later".
DATE_ORDER_RULES: tuple[tuple[str, str], ...] = (
    ("sentence_date", "hdc_eligibility_date"),
    ("sentence_date", "hdc_actual_date"),
    ("sentence_date", "rotl_eligibility_date"),
    ("sentence_date", "parole_eligibility_date"),
    ("sentence_date", "conditional_release_date"),
    ("sentence_date", "release_date"),
    ("hdc_eligibility_date", "hdc_actual_date"),
    ("hdc_eligibility_date", "conditional_release_date"),
    ("hdc_actual_date", "conditional_release_date"),
    ("conditional_release_date", "licence_expiry_date"),
    ("release_date", "licence_expiry_date"),
    ("conditional_release_date", "sentence_expiry_date"),
    ("licence_expiry_date", "sentence_expiry_date"),
    ("sentence_date", "sentence_expiry_date"),
)

LANGUAGE_WORDS = {
    "en": Language.ENGLISH,
    "en-gb": Language.ENGLISH,
    "english": Language.ENGLISH,
    "saesneg": Language.ENGLISH,
    "cy": Language.WELSH,
    "cy-gb": Language.WELSH,
    "welsh": Language.WELSH,
    "cymraeg": Language.WELSH,
}

PRISON_NUMBER = re.compile(r"^[A-Z][0-9]{4}[A-Z]{2}$")
CRN = re.compile(r"^[A-Z][0-9]{6}$")
UK_MOBILE = re.compile(r"^07[0-9]{9}$")
NAME_CHARACTERS = re.compile(r"^[^\W\d_]+(?:[ '’.\-][^\W\d_]*)*$")


@dataclass(frozen=True)
class FieldError:
    """One thing to fix: the field, and what to do in plain words. `existing_person_id` for a duplicate."""

    field: str
    message: str
    existing_person_id: int | None = None


@dataclass
class PersonCheck:
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[FieldError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, name: str, message: str, existing_person_id: int | None = None) -> None:
        self.errors.append(FieldError(name, message, existing_person_id))

    def has_error(self, name: str) -> bool:
        return any(e.field == name for e in self.errors)

    def errors_for(self, names: Iterable[str]) -> bool:
        wanted = set(names)
        return any(e.field in wanted for e in self.errors)


@dataclass(frozen=True)
class TakenIdentifiers:
    """Prison numbers and CRNs already on someone's record, each with that person's id."""

    prison_numbers: Mapping[str, int]
    crns: Mapping[str, int]


def identifiers_taken(*, prison_numbers: Iterable[str] = (), crns: Iterable[str] = ()) -> TakenIdentifiers:
    """Which of these identifiers are on a record already, in one query (pass every row's at once)."""
    wanted_numbers = {_squash(n) for n in prison_numbers if n}
    wanted_crns = {_squash(c) for c in crns if c}
    if not wanted_numbers and not wanted_crns:
        return TakenIdentifiers({}, {})
    rows = Person.objects.filter(Q(prison_number__in=wanted_numbers) | Q(crn__in=wanted_crns)).values_list(
        "pk", "prison_number", "crn"
    )
    numbers: dict[str, int] = {}
    crn_ids: dict[str, int] = {}
    for pk, number, crn in rows:
        if number in wanted_numbers:
            numbers[number] = pk
        if crn in wanted_crns:
            crn_ids[crn] = pk
    return TakenIdentifiers(numbers, crn_ids)


def units_by_code(codes: Iterable[str] | None = None) -> dict[str, OrgUnit]:
    """Units keyed by their code (upper case), in one query: all of them, or those with these codes."""
    units = OrgUnit.objects.all()
    if codes is not None:
        units = units.filter(code__in={c.strip().upper() for c in codes if c})
    return {unit.code.upper(): unit for unit in units}


def person_fields_clean(
    raw: Mapping[str, Any],
    *,
    current: Person | None = None,
    taken: TakenIdentifiers | None = None,
    units: Mapping[str, OrgUnit] | None = None,
    places: Mapping[str, PostcodePlace | PostcodeError] | None = None,
    today: date | None = None,
) -> PersonCheck:
    """Check and tidy a person's details. See the module's docstring.

    `raw` may name the unit as `unit` (an `OrgUnit`) or `unit_code` (a prison's 3-letter code or an
    office's code). Empty strings and None mean "not known". On success `values` holds every field of
    PERSON_FIELDS and DERIVED_FIELDS (the unit as an `OrgUnit`), merged with `current` for an update.
    `places` (from `postcodes_locate`, keyed by the postcode without spaces, in capitals) places a
    whole file's postcodes at once.
    """
    today = today or timezone.localdate()
    check = PersonCheck()
    given = _given(raw)
    merged: dict[str, Any] = _current_values(current)
    for name in NAME_FIELDS:
        if name in given or current is None:
            merged[name] = _clean_name(check, name, given.get(name))
    if "date_of_birth" in given or current is None:
        merged["date_of_birth"] = _clean_birth_date(check, given.get("date_of_birth"), today)
    for name in IDENTIFIER_FIELDS:
        if name in given:
            merged[name] = _clean_identifier(check, name, given[name])
    if not merged.get("prison_number") and not merged.get("crn") and not check.errors_for(IDENTIFIER_FIELDS):
        check.add("prison_number", _("Enter a prison number or a case reference number (CRN), or both."))
    _check_unique(check, merged, current, taken)
    if "status" in given or current is None:
        merged["status"] = _clean_choice(check, "status", given.get("status"), Status, gettext_lazy("Choose a status."))
    if "unit" in given or current is None:
        merged["unit"] = _clean_unit(check, given.get("unit"), units)
    _check_unit_fits_status(check, merged)
    if any(name in given for name in ADDRESS_FIELDS) or current is None:
        _clean_address(check, merged, given, update=current is not None, places=places)
    if "phone" in given:
        merged["phone"] = _clean_phone(check, given["phone"])
    if "email" in given:
        merged["email"] = _clean_email(check, given["email"])
    if "preferred_language" in given:
        merged["preferred_language"] = _clean_language(check, given["preferred_language"])
    elif current is None:
        merged["preferred_language"] = Language.ENGLISH
    if "risk_level" in given:
        merged["risk_level"] = _clean_choice(
            check, "risk_level", given["risk_level"] or RiskLevel.LOW, RiskLevel, gettext_lazy("Choose a risk level.")
        )
    elif current is None:
        merged["risk_level"] = RiskLevel.LOW
    for name in DATE_FIELDS:
        if name in given:
            merged[name] = _clean_date(check, name, given[name])
    _check_date_order(check, merged)
    if check.ok:
        check.values = merged
    return check


def address_precision_words(precision_m: int | None) -> str:
    """How exact the stored position is, in words for staff: "postcode centre, about 100 m"."""
    if precision_m is None:
        return _("position placed by hand, precision not known")
    return _("postcode centre, about %(metres)s m") % {"metres": precision_m}


def field_label(name: str) -> str:
    """A field's name as staff read it on the page, for error summaries that name the field."""
    return str(FIELD_LABELS.get(name, name.replace("_", " ")))


# --- helpers -------------------------------------------------------------------------------------

FIELD_LABELS = {
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "date_of_birth": gettext_lazy("Date of birth"),
    "prison_number": gettext_lazy("Prison number"),
    "crn": gettext_lazy("Case reference number (CRN)"),
    "status": gettext_lazy("Status"),
    "unit": gettext_lazy("Prison, wing or probation office"),
    "address_line_1": gettext_lazy("Address line 1"),
    "address_line_2": gettext_lazy("Address line 2"),
    "town": gettext_lazy("Town or city"),
    "postcode": gettext_lazy("Postcode"),
    "phone": gettext_lazy("Mobile phone number"),
    "email": gettext_lazy("Email address"),
    "preferred_language": gettext_lazy("Preferred language"),
    "risk_level": gettext_lazy("Risk level"),
    "sentence_date": gettext_lazy("Sentence start date"),
    "hdc_eligibility_date": gettext_lazy("Home detention curfew eligibility date"),
    "hdc_actual_date": gettext_lazy("Home detention curfew actual date"),
    "rotl_eligibility_date": gettext_lazy("Release on temporary licence eligibility date"),
    "parole_eligibility_date": gettext_lazy("Parole eligibility date"),
    "conditional_release_date": gettext_lazy("Conditional release date"),
    "release_date": gettext_lazy("Release date"),
    "licence_expiry_date": gettext_lazy("Licence end date"),
    "sentence_expiry_date": gettext_lazy("Sentence expiry date"),
}


def _given(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The fields present in `raw`, with strings stripped, "" as None, and unit_code folded into unit."""
    given: dict[str, Any] = {}
    for name, value in raw.items():
        if isinstance(value, str):
            value = value.strip() or None
        if name == "unit_code":
            name = "unit"
        if name in PERSON_FIELDS:
            given[name] = value
    return given


def _current_values(current: Person | None) -> dict[str, Any]:
    """The record's values for an update; for a new person, every field empty ("unknown")."""
    if current is None:
        blank: dict[str, Any] = dict.fromkeys((*PERSON_FIELDS, *DERIVED_FIELDS))
        blank.update(dict.fromkeys((*ADDRESS_FIELDS, "address", "phone", "email"), ""))
        return blank
    values = {name: getattr(current, name) for name in PERSON_FIELDS if name != "unit"}
    values["unit"] = current.unit
    for name in DERIVED_FIELDS:
        values[name] = getattr(current, name)
    for name in (*IDENTIFIER_FIELDS,):
        values[name] = values[name] or None
    return values


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", str(text)).upper()


def _clean_name(check: PersonCheck, name: str, value: Any) -> str:
    text = re.sub(r"\s+", " ", str(value or "")).strip()
    if not text:
        check.add(name, _("Enter the first name.") if name == "first_name" else _("Enter the last name."))
    elif len(text) > NAME_MAX_CHARS:
        check.add(name, _("A name must be %(n)s characters or fewer.") % {"n": NAME_MAX_CHARS})
    elif not NAME_CHARACTERS.match(text):
        check.add(name, _("A name can only have letters, spaces, hyphens, full stops and apostrophes."))
    return text


def _parse_date(value: Any) -> date | None:
    """A date from a date, or text as YYYY-MM-DD or DD MM YYYY (or with / or -). None when it is not one."""
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = re.match(r"^(\d{1,2})[ /\-.](\d{1,2})[ /\-.](\d{4})$", text)
        if not match:
            return None
        day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _clean_date(check: PersonCheck, name: str, value: Any) -> date | None:
    if value is None:
        return None
    parsed = _parse_date(value)
    if parsed is None or parsed.year < 1900 or parsed.year > 2200:
        check.add(name, _("Enter a real date, like 2026-11-27 or 27 11 2026."))
        return None
    return parsed


def _clean_birth_date(check: PersonCheck, value: Any, today: date) -> date | None:
    if value is None:
        check.add("date_of_birth", _("Enter the date of birth."))
        return None
    born = _clean_date(check, "date_of_birth", value)
    if born is None:
        return None
    if born > today:
        check.add("date_of_birth", _("The date of birth must be in the past."))
    elif _years_between(born, today) < YOUNGEST_AGE_YEARS:
        check.add("date_of_birth", _("Check the date of birth: they would be under %(n)s.") % {"n": YOUNGEST_AGE_YEARS})
    elif _years_between(born, today) > OLDEST_AGE_YEARS:
        check.add("date_of_birth", _("Check the date of birth: they would be over %(n)s.") % {"n": OLDEST_AGE_YEARS})
    return born


def _years_between(earlier: date, later: date) -> int:
    return later.year - earlier.year - ((later.month, later.day) < (earlier.month, earlier.day))


def _clean_identifier(check: PersonCheck, name: str, value: Any) -> str | None:
    if value is None:
        return None
    text = _squash(value)
    if name == "prison_number" and not PRISON_NUMBER.match(text):
        check.add(name, _("Enter a prison number in the right format, like A1234BC."))
    elif name == "crn" and not CRN.match(text):
        check.add(name, _("Enter a case reference number in the right format, like X123456."))
    return text


def _check_unique(
    check: PersonCheck, merged: Mapping[str, Any], current: Person | None, taken: TakenIdentifiers | None
) -> None:
    number, crn = merged.get("prison_number"), merged.get("crn")
    if check.errors_for(IDENTIFIER_FIELDS) or not (number or crn):
        return
    if taken is None:
        taken = identifiers_taken(prison_numbers=[number] if number else [], crns=[crn] if crn else [])
    own = current.pk if current is not None else None
    holder = taken.prison_numbers.get(number) if number else None
    if holder is not None and holder != own:
        check.add("prison_number", _("Someone already has the prison number %(n)s.") % {"n": number}, holder)
    holder = taken.crns.get(crn) if crn else None
    if holder is not None and holder != own:
        check.add("crn", _("Someone already has the case reference number %(n)s.") % {"n": crn}, holder)


def _clean_choice(check: PersonCheck, name: str, value: Any, choices: Any, missing: Any) -> str:
    text = str(value or "").strip().lower().replace(" ", "_").replace("-", "_")
    if not text:
        check.add(name, str(missing))
        return ""
    if text not in choices.values:
        check.add(
            name,
            _("“%(value)s” is not one we know. Use one of: %(allowed)s.")
            % {"value": value, "allowed": ", ".join(choices.values)},
        )
    return text


def _clean_unit(check: PersonCheck, value: Any, units: Mapping[str, OrgUnit] | None) -> OrgUnit | None:
    if isinstance(value, OrgUnit):
        return value
    if value is None:
        check.add("unit", _("Choose the prison, wing or probation office responsible for them."))
        return None
    code = str(value).strip().upper()
    if "\x00" in code:
        found = None  # no unit's code holds a NUL character (PostgreSQL cannot even compare text with one)
    elif units is not None:
        found = units.get(code)
    else:
        found = OrgUnit.objects.filter(code__iexact=code).first()
    if found is None:
        check.add("unit", _("We have no prison or office with the code %(code)s.") % {"code": code})
    return found


def _check_unit_fits_status(check: PersonCheck, merged: Mapping[str, Any]) -> None:
    unit, status = merged.get("unit"), merged.get("status")
    if unit is None or not status or check.errors_for(("unit", "status")):
        return
    custody_unit = unit.kind in (UnitKind.PRISON, UnitKind.WING)
    community_unit = unit.kind in (UnitKind.PDU, UnitKind.OFFICE)
    if status in CUSTODY_STATUSES and not custody_unit:
        check.add("unit", _("Someone in custody must be held at a prison or one of its wings."))
    elif status in COMMUNITY_STATUSES and not community_unit:
        check.add("unit", _("Someone in the community must be supervised by a probation delivery unit or office."))


def _clean_address(
    check: PersonCheck,
    merged: dict[str, Any],
    given: Mapping[str, Any],
    *,
    update: bool,
    places: Mapping[str, PostcodePlace | PostcodeError] | None = None,
) -> None:
    """Lines and postcode; the position from the postcode's centre, with its precision.

    When an update leaves the parts as they were, the address and its position stay as they are (a
    record made before the parts existed keeps its one-text address and any position placed by hand).
    """
    original = {name: merged.get(name) or "" for name in ADDRESS_FIELDS}
    for name in ADDRESS_FIELDS:
        if name in given or name not in merged or merged[name] is None:
            text = re.sub(r"\s+", " ", str(given.get(name) or "")).strip()
            if name != "postcode" and len(text) > ADDRESS_LINE_MAX_CHARS:
                check.add(name, _("Keep each line to %(n)s characters or fewer.") % {"n": ADDRESS_LINE_MAX_CHARS})
            merged[name] = text
    if update and all(_address_part(n, merged[n]) == _address_part(n, original[n]) for n in ADDRESS_FIELDS):
        merged.update(original)
        return
    line_1, postcode = merged["address_line_1"], merged["postcode"]
    any_line = line_1 or merged["address_line_2"] or merged["town"]
    if postcode:
        squashed = _squash(postcode)
        if not FULL_POSTCODE.match(squashed):
            check.add("postcode", _("Enter a full postcode, like LS6 1AA."))
        else:
            merged["postcode"] = f"{squashed[:-3]} {squashed[-3:]}"
            if not line_1:
                check.add("address_line_1", _("Enter the first line of the address, like 12 Quarry Street."))
            place = places.get(squashed) if places is not None else None
            try:
                if place is None:
                    place = postcode_locate(squashed)
                elif isinstance(place, PostcodeError):
                    raise place
            except PostcodeError as error:
                check.add("postcode", str(error))
            else:
                merged["address_latitude"] = round(place.latitude, 6)
                merged["address_longitude"] = round(place.longitude, 6)
                merged["address_precision_m"] = POSTCODE_CENTRE_PRECISION_M
    elif any_line:
        check.add("postcode", _("Enter the postcode, so we can find where the address is."))
    if not postcode:
        merged["address_latitude"] = merged["address_longitude"] = merged["address_precision_m"] = None
    merged["address"] = "\n".join(
        line for line in (line_1, merged["address_line_2"], merged["town"], merged["postcode"]) if line
    )


def _address_part(name: str, value: str) -> str:
    """A part as compared for "did it change": the postcode without spaces in capitals, lines as typed."""
    return _squash(value) if name == "postcode" else re.sub(r"\s+", " ", value).strip()


def _clean_phone(check: PersonCheck, value: Any) -> str:
    """A UK mobile number as 07… (11 digits), from +44 7…, 0044 7…, 44 7… or 07…, with any spaces or dashes."""
    if value is None:
        return ""
    digits = re.sub(r"[\s\-().]", "", str(value))
    if digits.startswith("+"):
        digits = digits[1:]
    if digits.startswith("0044"):
        digits = "0" + digits[4:]
    elif digits.startswith("44"):
        digits = "0" + digits[2:]
    if not UK_MOBILE.match(digits):
        check.add("phone", _("Enter a UK mobile number, like 07700 900123."))
    return digits


def _clean_email(check: PersonCheck, value: Any) -> str:
    if value is None:
        return ""
    text = str(value).strip()
    local, at, domain = text.rpartition("@")
    text = f"{local}@{domain.lower()}" if at else text
    try:
        EmailValidator()(text)
    except ValidationError:
        check.add("email", _("Enter an email address in the right format, like name@example.com."))
        return text
    if len(text) > EMAIL_MAX_CHARS:
        check.add("email", _("An email address must be %(n)s characters or fewer.") % {"n": EMAIL_MAX_CHARS})
    return text


def _clean_language(check: PersonCheck, value: Any) -> str:
    if value is None:
        return str(Language.ENGLISH)
    found = LANGUAGE_WORDS.get(str(value).strip().lower())
    if found is None:
        check.add("preferred_language", _("Choose English or Welsh."))
        return ""
    return str(found)


def _check_date_order(check: PersonCheck, merged: Mapping[str, Any]) -> None:
    born = merged.get("date_of_birth")
    for name in DATE_FIELDS:
        value = merged.get(name)
        if value is not None and born is not None and value <= born and not check.has_error(name):
            check.add(name, _("%(field)s must be after the date of birth.") % {"field": field_label(name)})
    for earlier, later in DATE_ORDER_RULES:
        first, second = merged.get(earlier), merged.get(later)
        if first is None or second is None or check.has_error(later) or check.has_error(earlier):
            continue
        if second < first:
            check.add(
                later,
                _("%(later)s must be the same as or after the %(earlier)s.")
                % {"later": field_label(later), "earlier": field_label(earlier).lower()},
            )
