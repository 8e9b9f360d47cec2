"""A person's push subscriptions: an installed web app or a device app registers one, lists them, removes one."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import P, PathEx, Router, Status
from ninja.errors import HttpError

from onward.api.auth import DeviceTokenAuth, PersonOrStaffSessionAuth, api_caller, api_user
from onward.api.errors import BAD_REQUEST, NOT_FOUND, UNPROCESSABLE, responses
from onward.api.permissions import permission
from onward.api.schemas import DATABASE_ID_MAX, PushSubscriptionIn, PushSubscriptionOut
from onward.notifications.models import PushSubscription
from onward.notifications.selectors import push_subscription_get, push_subscriptions_live
from onward.notifications.services import push_subscription_add, push_subscription_remove

# The web app uses the person's browser session (with the CSRF token); a device app its token.
router = Router(auth=[DeviceTokenAuth(), PersonOrStaffSessionAuth()], tags=["notifications"])


@router.post(
    "/push-subscriptions",
    response=responses({201: PushSubscriptionOut}, BAD_REQUEST, UNPROCESSABLE),
    summary="Turn on notifications for this browser or app",
    url_name="push_subscription_add",
)
@permission("notifications.push")
def push_subscription_create(request: HttpRequest, subscription: PushSubscriptionIn) -> Status[PushSubscriptionOut]:
    """Send the Push API subscription. Sending the same endpoint again renews it. 400 when push is not set up
    here or the push service is not one we send to."""
    try:
        record = push_subscription_add(
            actor=api_user(request),
            endpoint=subscription.endpoint,
            p256dh=subscription.keys.p256dh,
            auth=subscription.keys.auth,
            user_agent=request.headers.get("User-Agent", ""),
        )
    except ValidationError as error:
        raise HttpError(BAD_REQUEST, " ".join(error.messages)) from None
    return Status(201, _out(record))


@router.get(
    "/push-subscriptions",
    response=responses({200: list[PushSubscriptionOut]}),
    summary="The browsers and apps that get the person's notifications",
)
@permission("notifications.push")
def push_subscription_list(request: HttpRequest) -> list[PushSubscriptionOut]:
    return [_out(record) for record in push_subscriptions_live(api_caller(request))]


@router.delete(
    "/push-subscriptions/{subscription_id}",
    response=responses({204: None}, NOT_FOUND, UNPROCESSABLE),
    summary="Turn off notifications for one browser or app",
)
@permission("notifications.push")
def push_subscription_delete(
    request: HttpRequest, subscription_id: PathEx[int, P(ge=1, le=DATABASE_ID_MAX)]
) -> Status[None]:
    """Removing twice is not an error; another person's subscription is not found."""
    user = api_user(request)
    push_subscription_remove(actor=user, subscription=push_subscription_get(user, subscription_id))
    return Status(204, None)


def _out(record: PushSubscription) -> PushSubscriptionOut:
    return PushSubscriptionOut(
        id=record.pk,
        endpoint=record.endpoint,
        user_agent=record.user_agent,
        created_at=record.created_at,
        last_used_at=record.last_used_at,
    )
