"""What the API accepts and answers. Inputs are strict: unknown fields are refused, not ignored."""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, StringConstraints

from onward.organisations.models import UnitKind
from onward.people.models import AssignmentRole, RiskLevel, Status

DATABASE_ID_MAX = 2**63 - 1  # the largest id SQLite and PostgreSQL store; larger numbers are refused, not crashed on
CASELOAD_PAGE_SIZE_DEFAULT = 25
CASELOAD_PAGE_SIZE_MAX = 100
CASELOAD_PAGE_MAX = 1_000_000
SEARCH_TERM_MAX_LENGTH = 100
DEVICE_NAME_MAX_LENGTH = 100  # DeviceToken.name
PUSH_ENDPOINT_MAX_LENGTH = 2000  # PushSubscription.endpoint
PUSH_KEY_MAX_LENGTH = 100  # PushSubscription.p256dh
BASE64URL = r"^[A-Za-z0-9_-]+={0,2}$"
NO_CONTROL_CHARACTERS = r"^[^\x00-\x1f\x7f]*$"

DatabaseId = Annotated[int, Field(ge=1, le=DATABASE_ID_MAX)]
PlainText = Annotated[str, StringConstraints(strip_whitespace=True, pattern=NO_CONTROL_CHARACTERS)]


# --- Inputs -------------------------------------------------------------------------------------


class CaseloadQuery(Schema):
    model_config = ConfigDict(extra="forbid")

    q: Annotated[PlainText, StringConstraints(max_length=SEARCH_TERM_MAX_LENGTH)] = Field(
        "", description="Name words, a prison number or a case reference number (CRN)."
    )
    status: Status | None = Field(None, description="Only people with this status.")
    unit: DatabaseId | None = Field(None, description="Only people at this organisation unit or below it.")
    needs_attention: bool = Field(
        False, description="Only people with at least one reason to need attention today (see `attention`)."
    )
    sort: Literal["attention", "release", "-release", "name"] = Field(
        "attention",
        description=(
            "attention: who needs attention most first (by their most urgent reason, then the next, then "
            "soonest release); release: soonest release first; -release: latest first; name: by last name."
        ),
    )
    page: int = Field(1, ge=1, le=CASELOAD_PAGE_MAX)
    page_size: int = Field(CASELOAD_PAGE_SIZE_DEFAULT, ge=1, le=CASELOAD_PAGE_SIZE_MAX)


PersonText = Annotated[PlainText, StringConstraints(max_length=254)]
PERSON_FIELD_NOTE = (
    "Plain values, checked as the staff pages check them: dates as YYYY-MM-DD, the unit by its code "
    "(a prison's 3 letters, a wing's or office's code), an empty string for 'not known'."
)


class PersonIn(Schema):
    """A new person's details. Every rule (formats, duplicates, dates in order) answers 422 naming the field."""

    model_config = ConfigDict(extra="forbid")

    first_name: PersonText
    last_name: PersonText
    date_of_birth: PersonText = Field(description="YYYY-MM-DD")
    prison_number: PersonText = Field("", description="Like A1234BC. A prison number, a CRN, or both.")
    crn: PersonText = Field("", description="Case reference number, like X123456.")
    status: PersonText = Field(description="sentenced, remand, hdc, licence, community_order or ended.")
    unit_code: PersonText = Field(description="Where they are held or supervised from, by the unit's code.")
    address_line_1: PersonText = ""
    address_line_2: PersonText = ""
    town: PersonText = ""
    postcode: PersonText = Field("", description="A full postcode; the position is found from it.")
    phone: PersonText = Field("", description="A UK mobile number. Used only after the person shows it is theirs.")
    email: PersonText = Field("", description="Used only after the person shows it is theirs.")
    preferred_language: PersonText = Field("en-gb", description="en-gb or cy.")
    risk_level: PersonText = Field("low", description="low, medium, high or very_high.")
    sentence_date: PersonText = ""
    hdc_eligibility_date: PersonText = ""
    hdc_actual_date: PersonText = ""
    rotl_eligibility_date: PersonText = ""
    parole_eligibility_date: PersonText = ""
    conditional_release_date: PersonText = ""
    licence_expiry_date: PersonText = ""
    sentence_expiry_date: PersonText = ""


class PersonPatchIn(Schema):
    """The fields to change, and only those; the rest stay as they are. An empty string clears a field."""

    model_config = ConfigDict(extra="forbid")

    first_name: PersonText | None = None
    last_name: PersonText | None = None
    date_of_birth: PersonText | None = None
    prison_number: PersonText | None = None
    crn: PersonText | None = None
    status: PersonText | None = Field(None, description="Within custody or within the community only.")
    unit_code: PersonText | None = Field(None, description="A new unit is a transfer.")
    address_line_1: PersonText | None = None
    address_line_2: PersonText | None = None
    town: PersonText | None = None
    postcode: PersonText | None = None
    phone: PersonText | None = None
    email: PersonText | None = None
    preferred_language: PersonText | None = None
    risk_level: PersonText | None = None
    sentence_date: PersonText | None = None
    hdc_eligibility_date: PersonText | None = None
    hdc_actual_date: PersonText | None = None
    rotl_eligibility_date: PersonText | None = None
    parole_eligibility_date: PersonText | None = None
    conditional_release_date: PersonText | None = None
    licence_expiry_date: PersonText | None = None
    sentence_expiry_date: PersonText | None = None
    reason: Annotated[PlainText, StringConstraints(max_length=1000)] = Field("", description="Why, for the audit.")


class DeviceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[PlainText, StringConstraints(min_length=1, max_length=DEVICE_NAME_MAX_LENGTH)] = Field(
        description="A name the person will recognise, like 'My phone'."
    )


class PushKeysIn(Schema):
    model_config = ConfigDict(extra="forbid")

    p256dh: Annotated[str, StringConstraints(min_length=1, max_length=PUSH_KEY_MAX_LENGTH, pattern=BASE64URL)] = Field(
        description="The browser's public key, base64url, as PushSubscription.toJSON() gives it."
    )
    auth: Annotated[str, StringConstraints(min_length=1, max_length=PUSH_KEY_MAX_LENGTH, pattern=BASE64URL)] = Field(
        description="The browser's authentication secret, base64url."
    )


class PushSubscriptionIn(Schema):
    """What PushSubscription.toJSON() gives in a browser (expirationTime may be sent and is ignored)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    endpoint: Annotated[
        PlainText, StringConstraints(min_length=1, max_length=PUSH_ENDPOINT_MAX_LENGTH, pattern=r"^https?://")
    ] = Field(description="The push service's address for this browser or app.")
    keys: PushKeysIn
    expiration_time: int | None = Field(None, alias="expirationTime", description="Ignored.")


# --- Outputs ------------------------------------------------------------------------------------


class KeyDateOut(Schema):
    label: str
    date: date


class AssignedStaffOut(Schema):
    role: AssignmentRole
    role_label: str
    name: str


class LicenceOut(Schema):
    version: int
    issued_at: datetime
    confirmed: bool
    confirmed_at: datetime | None


class UnitOut(Schema):
    id: int
    name: str
    kind: UnitKind


class MeOut(Schema):
    """A person's own summary, for their phone or tablet."""

    id: int
    first_name: str
    last_name: str
    prison_number: str | None
    crn: str | None
    status: Status
    status_label: str
    next_key_date: KeyDateOut | None
    assigned_staff: list[AssignedStaffOut]
    licence: LicenceOut | None


class AttentionReasonOut(Schema):
    """One reason a person needs attention today. Codes, most urgent first (lowest rank): alert_urgent (an
    open high-severity alert), checkin_missed, checkin_review, alert_open (another alert not closed),
    appointment_today, message_unread (from the person, read by no member of staff), licence_unconfirmed,
    hdc_not_considered (eligible for home detention curfew within 10 weeks, no decision yet), release_soon (in
    custody, released within 12 weeks)."""

    code: str = Field(description="A stable code, e.g. checkin_missed.")
    label: str = Field(description="The reason in plain words, for showing.")
    rank: int = Field(description="Lower is more urgent; the list is in this order.")


class CaseloadEntryOut(Schema):
    id: int
    first_name: str
    last_name: str
    prison_number: str | None
    crn: str | None
    status: Status
    status_label: str
    risk_level: RiskLevel
    unit: UnitOut
    conditional_release_date: date | None
    next_key_date: KeyDateOut | None
    assigned_staff: list[AssignedStaffOut]
    attention: list[AttentionReasonOut] = Field(description="Why they need attention today, most urgent first.")


class CaseloadPageOut(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[CaseloadEntryOut]


class KeyDatesOut(Schema):
    sentence_date: date | None
    hdc_eligibility_date: date | None
    hdc_actual_date: date | None
    rotl_eligibility_date: date | None
    parole_eligibility_date: date | None
    conditional_release_date: date | None
    release_date: date | None
    licence_expiry_date: date | None
    sentence_expiry_date: date | None


class AddressOut(Schema):
    line_1: str
    line_2: str
    town: str
    postcode: str
    latitude: float | None
    longitude: float | None
    precision_m: int | None = Field(description="How far the position may be from the door (a postcode's centre).")
    precision: str = Field(description="The same in words, like 'postcode centre, about 100 m'.")


class ContactOut(Schema):
    phone: str
    phone_verified: bool
    email: str
    email_verified: bool


class PersonRecordOut(Schema):
    """One person's record as a member of staff sees it."""

    id: int
    first_name: str
    last_name: str
    prison_number: str | None
    crn: str | None
    date_of_birth: date
    status: Status
    status_label: str
    risk_level: RiskLevel
    risk_level_label: str
    preferred_language: str
    unit: UnitOut
    establishment: UnitOut | None
    address: str
    address_parts: AddressOut
    contact: ContactOut
    key_dates: KeyDatesOut
    next_key_date: KeyDateOut | None
    assigned_staff: list[AssignedStaffOut]
    licence: LicenceOut | None


class DeviceOut(Schema):
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None


class PushSubscriptionOut(Schema):
    id: int
    endpoint: str = Field(description="The push service's address for this browser or app.")
    user_agent: str
    created_at: datetime
    last_used_at: datetime | None = Field(description="When a notification last reached it.")


class DeviceCreatedOut(DeviceOut):
    token: str = Field(description="Shown once. Send it as 'Authorization: Bearer <token>'; it is never shown again.")
