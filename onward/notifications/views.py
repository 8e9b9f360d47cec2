from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from onward.core.permissions import permission
from onward.notifications.models import Channel, OutboxMessage


@permission("admin.site")
def sms_log(request: HttpRequest) -> HttpResponse:
    """The embedded SMS channel's log: what would have gone to a phone. For administrators."""
    messages = OutboxMessage.objects.filter(channel=Channel.SMS).order_by("-created_at")[:100]
    return render(request, "notifications/sms_log.html", {"messages": messages})
