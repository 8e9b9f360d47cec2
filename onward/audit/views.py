from django import forms
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from onward.audit.selectors import AuditFilter, audit_events_for
from onward.audit.services import audit_record
from onward.core.audit_actions import AuditAction
from onward.core.permissions import permission
from onward.core.query import QUERY_DATE_MAX, QUERY_DATE_MIN

AUDIT_PAGE_SIZE = 50
_IN_RANGE = [
    MinValueValidator(QUERY_DATE_MIN, _("Enter a date after 1900")),
    MaxValueValidator(QUERY_DATE_MAX, _("Enter a date before 2200")),
]


class AuditSearchForm(forms.Form):
    person = forms.CharField(label=_("Prison number or CRN"), required=False, max_length=10)
    actor = forms.CharField(label=_("Staff email address"), required=False, max_length=254)
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=60,
        help_text=_("Words from what happened, like “reset”, or a code, like person.view"),
    )
    date_from = forms.DateField(
        label=_("From (YYYY-MM-DD)"),
        required=False,
        error_messages={"invalid": _("Enter a date like 2026-11-27")},
        validators=_IN_RANGE,
    )
    date_to = forms.DateField(
        label=_("To (YYYY-MM-DD)"),
        required=False,
        error_messages={"invalid": _("Enter a date like 2026-11-27")},
        validators=_IN_RANGE,
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date must be the same as or after the start date"))
        return data


@permission("audit.search")
def audit_search(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        filters = AuditFilter(**form.cleaned_data)
        page = Paginator(audit_events_for(request.user, filters), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
        # Searching the trail is itself a sensitive read.
        audit_record(
            actor=request.user,
            action=AuditAction.AUDIT_SEARCHED,
            data={k: str(v) for k, v in form.cleaned_data.items() if v},
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/search.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=400 if form.errors else 200,
    )
