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
    sort: Literal["release", "-release", "name"] = Field(
        "release", description="release: soonest release first; -release: latest first; name: by last name."
    )
    page: int = Field(1, ge=1, le=CASELOAD_PAGE_MAX)
    page_size: int = Field(CASELOAD_PAGE_SIZE_DEFAULT, ge=1, le=CASELOAD_PAGE_SIZE_MAX)


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


class CaseloadPageOut(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[CaseloadEntryOut]


class KeyDatesOut(Schema):
    sentence_date: date | None
    hdc_eligibility_date: date | None
    conditional_release_date: date | None
    release_date: date | None
    licence_expiry_date: date | None
    sentence_expiry_date: date | None


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
