from django.conf import settings
from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onward.accounts.actors import signed_in_user
from onward.core.permissions import permission
from onward.notifications.push import push_configured
from onward.notifications.selectors import inbox_for, push_subscription_get, push_subscriptions_live, sms_log_list
from onward.notifications.services import inbox_mark_read, push_subscription_remove

INBOX_PAGE_SIZE = 25


@permission("admin.site")
def sms_log(request: HttpRequest) -> HttpResponse:
    """The embedded SMS channel's log: what would have gone to a phone, codes and links hidden. Audited."""
    return render(request, "notifications/sms_log.html", {"messages": sms_log_list(signed_in_user(request))})


@permission("notifications.push")
def person_push(request: HttpRequest) -> HttpResponse:
    """Notifications on this phone: turned on and off by the page's script; each phone can be turned off here."""
    return render(
        request,
        "notifications/person_push.html",
        {
            "configured": push_configured(),
            "public_key": settings.VAPID_PUBLIC_KEY if push_configured() else "",
            "subscriptions_url": reverse("api:push_subscription_add"),
            "subscriptions": list(push_subscriptions_live(request.user)),
        },
    )


@permission("notifications.push")
@require_POST
def person_push_off(request: HttpRequest, subscription_id: int) -> HttpResponse:
    """Stop notifications to one phone or browser, without script (the browser may still ask; we send nothing)."""
    subscription = push_subscription_get(request.user, subscription_id)
    push_subscription_remove(actor=signed_in_user(request), subscription=subscription)
    flash.success(request, _("Notifications are off for that phone or browser."))
    return redirect("notifications:person_push")


@permission("notifications.inbox")
def person_inbox(request: HttpRequest) -> HttpResponse:
    """Every in-app notice the person has had, newest first, unread ones marked."""
    page = Paginator(inbox_for(request.user), INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    notices = list(page.object_list)
    return render(
        request,
        "notifications/person_inbox.html",
        {"page": page, "notices": notices, "unread": any(n.read_at is None for n in notices)},
    )


@permission("notifications.inbox")
@require_POST
def person_inbox_read(request: HttpRequest) -> HttpResponse:
    """Mark the person's notices read: one (its id sent as `notice`), or all of them."""
    notice = request.POST.get("notice", "")
    ids = [int(notice)] if notice.isdigit() else None
    inbox_mark_read(actor=request.user, message_ids=ids)
    flash.success(request, _("Marked as read."))
    return redirect("notifications:person_inbox")
