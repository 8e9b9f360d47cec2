"""A person's phones and tablets: add one (its token is shown once), list them, stop one signing in."""

from django.http import Http404, HttpRequest
from ninja import P, PathEx, Router, Status

from onward.accounts.models import DeviceToken
from onward.accounts.services import device_token_create, device_token_revoke, device_tokens_live
from onward.api.auth import DeviceTokenAuth, PersonOrStaffSessionAuth, api_caller
from onward.api.errors import BAD_REQUEST, NOT_FOUND, UNPROCESSABLE, responses
from onward.api.permissions import permission
from onward.api.schemas import DATABASE_ID_MAX, DeviceCreatedOut, DeviceIn, DeviceOut

# A person may use their browser session here too, so the app can add its first device.
router = Router(auth=[DeviceTokenAuth(), PersonOrStaffSessionAuth()], tags=["devices"])


@router.post(
    "/devices",
    response=responses({201: DeviceCreatedOut}, BAD_REQUEST, UNPROCESSABLE),
    summary="Add a phone or tablet",
)
@permission("person.self")
def device_add(request: HttpRequest, device: DeviceIn) -> Status[DeviceCreatedOut]:
    """From the app in a browser (with the CSRF token) or from a device that already has a token."""
    issued = device_token_create(actor=api_caller(request), name=device.name)
    record = issued.record
    created = DeviceCreatedOut(
        id=record.pk,
        name=record.name,
        created_at=record.created_at,
        last_used_at=record.last_used_at,
        token=issued.token,
    )
    return Status(201, created)


@router.get("/devices", response=responses({200: list[DeviceOut]}), summary="The person's devices that can sign in")
@permission("person.self")
def device_list(request: HttpRequest) -> list[DeviceOut]:
    tokens = device_tokens_live(DeviceToken.objects.filter(user=api_caller(request)))
    return [
        DeviceOut(id=token.pk, name=token.name, created_at=token.created_at, last_used_at=token.last_used_at)
        for token in tokens
    ]


@router.delete(
    "/devices/{device_id}",
    response=responses({204: None}, NOT_FOUND, UNPROCESSABLE),
    summary="Stop a device signing in",
)
@permission("person.self")
def device_revoke(request: HttpRequest, device_id: PathEx[int, P(ge=1, le=DATABASE_ID_MAX)]) -> Status[None]:
    """Its token is refused from the next call. Revoking twice is not an error; another person's device is not found."""
    user = api_caller(request)
    token = DeviceToken.objects.select_related("user__person").filter(pk=device_id, user=user).first()
    if token is None:
        raise Http404
    device_token_revoke(actor=user, token=token)
    return Status(204, None)
