"""The practitioner's alerts: their list (or their team's), and one alert to acknowledge, note and close.

Thin: parse, call a selector or service, render. Staff pages only; people never see staff alerts.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onward.alerts import selectors, services
from onward.alerts.forms import AlertFilterForm, CloseForm, NoteForm
from onward.alerts.models import NOTE_STATES, TRANSITIONS, AlertState
from onward.core.permissions import permission

ALERTS_PER_PAGE = 50


@permission("alert.view")
def alert_list(request: HttpRequest) -> HttpResponse:
    form = AlertFilterForm(request.GET or None)
    wanted = selectors.AlertFilter()
    if form.is_valid():
        data = form.cleaned_data
        wanted = selectors.AlertFilter(
            team=data["scope"] == "team", state=data["state"], severity=data["severity"], kind=data["kind"]
        )
    found = selectors.alerts_for(request.user, wanted)
    page = Paginator(found, ALERTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "alerts": list(page.object_list),
        "query": query.urlencode(),
        "wanted": wanted,
    }
    return render(request, "alerts/alert_list.html", context)


@permission("alert.view")
def alert_detail(request: HttpRequest, alert_id: int) -> HttpResponse:
    return _detail(request, alert_id, note_form=NoteForm(), close_form=CloseForm(), status=200)


@require_POST
@permission("alert.act")
def alert_acknowledge(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = selectors.alert_get(request.user, alert_id)
    try:
        services.alert_acknowledge(actor=request.user, alert=alert)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You have acknowledged this alert."))
    return redirect("alerts:alert_detail", alert_id=alert_id)


@require_POST
@permission("alert.act")
def alert_note(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = selectors.alert_get(request.user, alert_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.alert_note_add(actor=request.user, alert=alert, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error("text", error)
        else:
            messages.success(request, _("Your note is added."))
            return redirect("alerts:alert_detail", alert_id=alert_id)
    return _detail(request, alert_id, note_form=form, close_form=CloseForm(), status=400)


@require_POST
@permission("alert.act")
def alert_close(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = selectors.alert_get(request.user, alert_id)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.alert_close(
                actor=request.user,
                alert=alert,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The alert is closed with your decision."))
            return redirect("alerts:alert_detail", alert_id=alert_id)
    return _detail(request, alert_id, note_form=NoteForm(), close_form=form, status=400)


def _detail(
    request: HttpRequest, alert_id: int, *, note_form: NoteForm, close_form: CloseForm, status: int
) -> HttpResponse:
    alert = selectors.alert_get(request.user, alert_id)
    context = {
        "alert": alert,
        "cause_url": selectors.alert_cause_url(alert),
        "notes": list(alert.notes.all()),
        "escalated_to": list(alert.escalated_to.all()),
        "may_acknowledge": AlertState.ACKNOWLEDGED in TRANSITIONS[alert.state],
        "may_note": alert.state in NOTE_STATES,
        "may_close": AlertState.CLOSED in TRANSITIONS[alert.state],
        "note_form": note_form,
        "close_form": close_form,
    }
    return render(request, "alerts/alert_detail.html", context, status=status)
