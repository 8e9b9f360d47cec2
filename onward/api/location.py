"""Location fixes from a person's phone or a tag's feed: `POST /api/v1/location/fixes`.

An open format any vendor can send (see docs/location.md): a device name and a batch of fixes, each with
its time (ISO 8601 with a time zone), WGS84 latitude and longitude, accuracy radius in metres, source and
the signals the device reports (mock location, developer mode). The same device and time twice is kept
once; late and out-of-order fixes are accepted. Each fix is answered: accepted, duplicate, or refused with
the reason. Only the person's own device sends for them (device token, or the person's browser session).
"""

import datetime as dt
from typing import Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import ConfigDict, Field

from onward.api.auth import DeviceTokenAuth, PersonOrStaffSessionAuth, api_user
from onward.api.errors import BAD_REQUEST, UNPROCESSABLE, responses
from onward.api.permissions import permission
from onward.curfew.evaluation import FixIn, fixes_ingest
from onward.curfew.models import FixSource

router = Router(auth=[DeviceTokenAuth(), PersonOrStaffSessionAuth()], tags=["location"])


class FixInSchema(Schema):
    model_config = ConfigDict(extra="forbid")

    time: dt.datetime = Field(description="When the device took the fix, with its time zone (ISO 8601).")
    latitude: float = Field(ge=-90, le=90, description="WGS84 degrees.")
    longitude: float = Field(ge=-180, le=180, description="WGS84 degrees.")
    accuracy_m: float = Field(gt=0, description="The accuracy radius in metres, as the device reports it.")
    source: Literal["gps", "network", "fused", "checkin", "tag", "other"] = "gps"
    mock_location: bool | None = Field(default=None, description="The device says this position is faked.")
    developer_mode: bool | None = Field(default=None, description="The device is in developer mode.")


class FixBatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    device: str = Field(min_length=1, max_length=64, description="The sending device's own stable name or id.")
    fixes: list[FixInSchema] = Field(min_length=1, max_length=settings.LOCATION_FIX_BATCH_MAX)


class RefusedFixOut(Schema):
    index: int
    reason: str


class FixBatchOut(Schema):
    accepted: int
    duplicates: int
    refused: list[RefusedFixOut]


@router.post(
    "/location/fixes",
    response=responses({200: FixBatchOut}, BAD_REQUEST, UNPROCESSABLE),
    summary="Send a batch of location fixes",
)
@permission("location.send")
def location_fixes(request: HttpRequest, batch: FixBatchIn) -> FixBatchOut:
    """Sending the same batch again is safe: what was kept already counts as duplicates."""
    user = api_user(request)
    if user.person is None:
        raise PermissionDenied("location.send")
    fixes = [
        FixIn(
            recorded_at=fix.time,
            latitude=fix.latitude,
            longitude=fix.longitude,
            accuracy_m=fix.accuracy_m,
            source=FixSource(fix.source),
            mock_location=fix.mock_location,
            developer_mode=fix.developer_mode,
        )
        for fix in batch.fixes
    ]
    result = fixes_ingest(
        actor=user, person=user.person, device=batch.device, fixes=fixes, ip=request.META.get("REMOTE_ADDR")
    )
    return FixBatchOut(
        accepted=result.accepted,
        duplicates=result.duplicates,
        refused=[RefusedFixOut(index=index, reason=reason) for index, reason in result.rejected],
    )
