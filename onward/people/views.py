"""Staff caseload and person record; the person's own home page."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onward.core.audit_actions import AuditAction
from onward.core.permissions import can, permission
from onward.organisations.models import OrgUnit
from onward.organisations.roles import staff_roles
from onward.organisations.selectors import units_under
from onward.people.attention import attention_moment, attention_reasons
from onward.people.forms import (
    OWN_WORDS_SLOTS,
    CaseloadFilterForm,
    ContactCodeForm,
    LicenceIssueForm,
    PeopleImportForm,
    PersonForm,
    ReleaseForm,
    SupervisionEndForm,
    person_form_initial,
)
from onward.people.home import home_sections_grouped
from onward.people.imports import (
    ImportPlanChanged,
    ImportReport,
    ImportUploadGone,
    import_upload_check,
    import_upload_confirm,
    import_upload_get,
)
from onward.people.models import ConditionType, ContactChannel, LicenceVersion, Person, Status
from onward.people.record import record_sections
from onward.people.selectors import (
    CaseloadFilter,
    caseload_for,
    caseload_page,
    licence_current,
    licence_unconfirmed_for,
    person_by_identifier_visible,
    person_for_edit,
    person_for_subject_access,
    person_get,
    recent_activity,
    units_for_editing,
)
from onward.people.services import (
    PersonDetailsInvalid,
    ReleaseDetails,
    contact_code_send,
    contact_confirm_in_person,
    contact_verify,
    licence_confirm,
    licence_version_issue,
    person_create,
    person_release_full,
    person_supervision_end,
    person_update,
    subject_access_export,
)
from onward.people.sources import IMPORT_COLUMNS, KEY_COLUMNS, REQUIRED_COLUMNS
from onward.people.validation import address_precision_words

CASELOAD_PAGE_SIZE = 25


@permission("caseload.view")
def caseload(request: HttpRequest) -> HttpResponse:
    units = _filter_units(request.user)
    form = CaseloadFilterForm(request.GET or None, units=units)
    filters = CaseloadFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = CaseloadFilter(
            search=data["q"],
            status=data["status"],
            unit_id=data["unit"],
            needs_attention=data["needs_attention"],
            sort=data["sort"] or "attention",
        )
    moment = attention_moment(request.user)
    page = caseload_page(
        caseload_for(request.user, filters, moment=moment), moment, request.GET.get("page"), CASELOAD_PAGE_SIZE
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "may_create": can(request.user, "person.create"),
        "reasons": {person.pk: attention_reasons(person) for person in page.object_list},
    }
    return render(request, "people/caseload.html", context)


@permission("person.view")
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get(request.user, person_id)
    context = {
        "person": person,
        "licence": licence_current(person),
        "activity": recent_activity(person),
        "sections": record_sections(request.user, person),
        "may_release": can(request.user, "person.release", person),
        "may_end_supervision": can(request.user, "person.end_supervision", person),
        "may_enrol_checkins": can(request.user, "checkin.enrol", person),
        "may_issue_licence": can(request.user, "licence.issue", person),
        "may_edit": can(request.user, "person.edit", person),
        "may_book_appointment": can(request.user, "appointment.manage", person),
        "precision": address_precision_words(person.address_precision_m),
    }
    return render(request, "people/person_detail.html", context)


@permission("person.release")
def person_release_view(request: HttpRequest, person_id: int) -> HttpResponse:
    """Release: address, supervision, and a way back in (a checked phone or email, or a printed letter).

    Afterwards the releasing officer may no longer see the person, so the answer is a confirmation page
    in the same response: what happened, who supervises them, and the activation code if one was printed.
    """
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_FOR_RELEASE)
    if not can(request.user, "person.release", person):
        raise PermissionDenied("person.release")
    initial = {
        "release_date": person.conditional_release_date,
        "phone": person.phone,
        "email": person.email,
        "address_line_1": person.address_line_1,
        "address_line_2": person.address_line_2,
        "town": person.town,
        "postcode": person.postcode,
        "contact_check": "code",
    }
    form = ReleaseForm(request.POST or None, initial=initial)
    sent_to = request.POST.get("send_code", "")
    if request.method == "POST" and sent_to in ContactChannel.values:
        # Only the code is sent; the form comes back as typed, for the code to be added, without errors yet.
        form = ReleaseForm(initial={**initial, **request.POST.dict()})
        address = request.POST.get("phone" if sent_to == ContactChannel.SMS else "email", "")
        code_problem = ""
        try:
            contact_code_send(actor=request.user, person=person, channel=sent_to, address=address)
        except PersonDetailsInvalid as error:
            code_problem = error.field_errors[0].message
        else:
            messages.success(request, _("We sent a code. Ask them to read it to you, then type it in below."))
        context = {"person": person, "form": form, "code_problem": code_problem}
        return render(request, "people/release.html", context, status=400 if code_problem else 200)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = ReleaseDetails(
            release_date=data["release_date"],
            status=data["status"],
            supervising_unit=data["supervising_unit"],
            practitioner=data["practitioner"],
            address_line_1=data["address_line_1"],
            address_line_2=data["address_line_2"],
            town=data["town"],
            postcode=data["postcode"],
            phone=data["phone"],
            email=data["email"],
            contact_check=data["contact_check"],
            phone_code=data["phone_code"],
            email_code=data["email_code"],
            activation_letter=data["activation_letter"],
        )
        try:
            result = person_release_full(actor=request.user, person=person, details=details, reason=data["reason"])
        except PersonDetailsInvalid as error:
            for problem in error.field_errors:
                form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            context = {
                "person": result.person,
                "result": result,
                "expires_on": timezone.localdate() + timedelta(days=settings.ACTIVATION_CODE_DAYS),
                "public_address": settings.PUBLIC_BASE_URL.removeprefix("https://"),
                # Asked afresh: the assignments the user had a moment ago have just ended.
                "still_visible": person_by_identifier_visible(request.user, result.person.pk) is not None,
            }
            response = render(request, "people/release_done.html", context)
            response["Cache-Control"] = "no-store"  # the activation code is shown once
            return response
    return render(request, "people/release.html", {"person": person, "form": form}, status=400 if form.errors else 200)


@permission("person.create")
def person_create_view(request: HttpRequest) -> HttpResponse:
    """Staff add a person by hand, in a unit their role covers."""
    form = PersonForm(
        request.POST or None,
        units=units_for_editing(request.user),
        initial={"preferred_language": "en-gb", "risk_level": "low"},
    )
    duplicates: list[Person] = []
    if request.method == "POST" and form.is_valid():
        try:
            person = person_create(actor=request.user, fields=form.values())
        except PersonDetailsInvalid as error:
            form.add_field_errors(error.field_errors)
            duplicates = _duplicates_visible(request.user, error)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": person.full_name})
            if can(request.user, "person.view", person):
                return redirect("people:person_detail", person_id=person.pk)
            return redirect("people:person_edit", person_id=person.pk)
    context = {"form": form, "duplicates": duplicates, "person": None}
    return render(request, "people/person_form.html", context, status=400 if form.errors else 200)


@permission("person.edit")
def person_edit_view(request: HttpRequest, person_id: int) -> HttpResponse:
    """Staff change a person's details. Only what changed is saved and audited."""
    person = person_for_edit(request.user, person_id)
    form = PersonForm(
        request.POST or None,
        units=units_for_editing(request.user, also=person.unit),
        initial=person_form_initial(person),
    )
    duplicates: list[Person] = []
    if request.method == "POST" and form.is_valid():
        try:
            change = person_update(
                actor=request.user, person=person, fields=form.values(), reason=form.cleaned_data["reason"]
            )
        except PersonDetailsInvalid as error:
            form.add_field_errors(error.field_errors)
            duplicates = _duplicates_visible(request.user, error)
        else:
            if not change.changed:
                messages.info(request, _("Nothing was changed."))
            else:
                messages.success(request, _("%(name)s’s details have been saved.") % {"name": change.person.full_name})
            if can(request.user, "person.view", change.person):
                return redirect("people:person_detail", person_id=person.pk)
            if can(request.user, "person.edit", change.person):
                return redirect("people:person_edit", person_id=person.pk)
            messages.info(
                request,
                _("%(name)s has moved to %(unit)s, which is outside your area.")
                % {"name": change.person.full_name, "unit": change.person.unit.name},
            )
            return redirect("people:caseload")
    context = {
        "form": form,
        "duplicates": duplicates,
        "person": person,
        "precision": address_precision_words(person.address_precision_m),
    }
    return render(request, "people/person_form.html", context, status=400 if form.errors else 200)


@permission("person.verify_contact")
def person_contact_view(request: HttpRequest, person_id: int) -> HttpResponse:
    """Staff check a person's phone and email are theirs: send a code and type it back, or confirm in person."""
    person = person_for_edit(request.user, person_id, purpose=AuditAction.PERSON_VIEW_FOR_CONTACT_CHECK)
    return _contact_page(request, person, staff=True)


@permission("person.self")
def person_contact_own(request: HttpRequest) -> HttpResponse:
    """A person shows their own phone or email is theirs, with the code sent to it."""
    person = person_get(request.user, int(request.user.person_id), purpose=AuditAction.PERSON_VIEW_OWN_CONTACT)  # type: ignore[union-attr, arg-type]
    return _contact_page(request, person, staff=False)


def _contact_page(request: HttpRequest, person: Person, *, staff: bool) -> HttpResponse:
    form = ContactCodeForm(request.POST or None)
    action = request.POST.get("action", "")
    if request.method == "POST" and form.is_valid():
        channel = form.cleaned_data["channel"]
        try:
            if action == "send":
                contact_code_send(actor=request.user, person=person, channel=channel)
                messages.success(
                    request,
                    _("We sent a code. It works for %(minutes)s minutes.")
                    % {"minutes": settings.ONE_TIME_CODE_MINUTES},
                )
            elif action == "verify":
                contact_verify(actor=request.user, person=person, channel=channel, code=form.cleaned_data["code"])
                messages.success(request, _("Thank you. This is now checked."))
            elif action == "in_person" and staff:
                contact_confirm_in_person(actor=request.user, person=person, channel=channel)
                messages.success(request, _("Marked as confirmed in person."))
        except PersonDetailsInvalid as error:
            form.add_error("code", error.field_errors[0].message)
        else:
            if staff:
                return redirect("people:person_contact", person_id=person.pk)
            return redirect("people:person_contact_own")
    context = {"person": person, "form": form, "staff": staff, "failed_channel": request.POST.get("channel", "")}
    return render(request, "people/contact_check.html", context, status=400 if form.errors else 200)


def _duplicates_visible(user: Any, error: PersonDetailsInvalid) -> list[Person]:
    """The people who already have the identifier typed, where this user may open their record."""
    found = []
    for problem in error.field_errors:
        person = person_by_identifier_visible(user, problem.existing_person_id)
        if person is not None and person not in found:
            found.append(person)
    return found


@permission("person.end_supervision")
def person_supervision_end_view(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_FOR_SUPERVISION_END)
    if not can(request.user, "person.end_supervision", person):
        raise PermissionDenied("person.end_supervision")
    form = SupervisionEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person_supervision_end(actor=request.user, person=person, reason=form.cleaned_data["reason"])
        messages.success(request, _("Supervision has ended. Their face photo and template have been deleted."))
        return redirect("people:person_detail", person_id=person.pk)
    return render(
        request, "people/supervision_end.html", {"person": person, "form": form}, status=400 if form.errors else 200
    )


@permission("person.self")
def person_home(request: HttpRequest) -> HttpResponse:
    person = person_get(request.user, int(request.user.person_id), purpose=AuditAction.PERSON_VIEW_OWN)  # type: ignore[union-attr, arg-type]
    context = {"person": person, "groups": home_sections_grouped(request.user, person)}
    return render(request, "people/person_home.html", context)


@permission("person.self")
def person_licence(request: HttpRequest) -> HttpResponse:
    """The person's licence conditions, each with what it means, in their language where we have it."""
    person = person_get(request.user, int(request.user.person_id), purpose=AuditAction.PERSON_VIEW_OWN_LICENCE)  # type: ignore[union-attr, arg-type]
    context = {"person": person, "licence": licence_current(person), "language": get_language()}
    return render(request, "people/person_licence.html", context)


@permission("licence.issue")
def person_licence_issue(request: HttpRequest, person_id: int) -> HttpResponse:
    """Staff issue a new version of a person's licence conditions, starting from the current one."""
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_FOR_LICENCE)
    if not can(request.user, "licence.issue", person):
        raise PermissionDenied("licence.issue")
    types = list(ConditionType.objects.filter(active=True))
    form = LicenceIssueForm(request.POST or None, types=types, initial=_licence_initial(licence_current(person)))
    if request.method == "POST" and form.is_valid():
        try:
            version = licence_version_issue(actor=request.user, person=person, conditions=form.cleaned_data["chosen"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Version %(n)s of the licence conditions is issued. %(name)s will be asked to read and confirm it.")
                % {"n": version.number, "name": person.full_name},
            )
            return redirect("people:person_detail", person_id=person.pk)
    context = {"person": person, "form": form, "types": types}
    return render(request, "people/licence_issue.html", context, status=400 if form.errors else 200)


@permission("caseload.view")
def licence_unconfirmed(request: HttpRequest) -> HttpResponse:
    """People on this member of staff's caseload who have not yet confirmed their newest licence conditions."""
    page = Paginator(licence_unconfirmed_for(request.user), CASELOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/licence_unconfirmed.html", {"page": page, "now": timezone.now()})


def _licence_initial(version: LicenceVersion | None) -> dict[str, Any]:
    """The current version's catalogue conditions and details, as the starting point of the next."""
    if version is None:
        return {
            "conditions": list(
                ConditionType.objects.filter(active=True, kind="standard").values_list("code", flat=True)
            )
        }
    initial: dict[str, Any] = {"conditions": []}
    own = 0
    for condition in version.conditions.select_related("condition_type"):
        if condition.condition_type is not None:
            initial["conditions"].append(condition.condition_type.code)
            initial[f"details_{condition.condition_type.code}"] = condition.details
        elif own < OWN_WORDS_SLOTS:
            own += 1
            initial[f"own_text_{own}"] = condition.text
            initial[f"own_meaning_{own}"] = condition.explanation
    return initial


@permission("person.self")
@require_POST
def person_licence_confirm(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_object_or_404(LicenceVersion, pk=version_id, person_id=request.user.person_id)  # type: ignore[union-attr]
    licence_confirm(actor=request.user, version=version)
    messages.success(request, _("Thank you. You have confirmed your licence conditions."))
    return redirect("people:person_licence")


def _filter_units(user: Any) -> list[OrgUnit]:
    return list(units_under([r.unit.path for r in staff_roles(user)]).order_by("path"))


@permission("person.subject_access")
def subject_access(request: HttpRequest) -> HttpResponse:
    """Administrators: find a person by prison number or CRN, check it is them, download all their data."""
    reference = (request.POST.get("reference") or request.GET.get("reference") or "").strip()[:20]
    person = None
    problem = ""
    if reference:
        try:
            person = person_for_subject_access(request.user, reference)
        except PermissionDenied:
            problem = _("We cannot find anyone with that prison number or case reference in your area.")
    if request.method == "POST" and person is not None:
        export = subject_access_export(actor=request.user, person=person)
        response = HttpResponse(export, content_type="application/zip")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="subject-access-{person.reference}-{stamp}.zip"'
        response["Cache-Control"] = "no-store"
        return response
    context = {"reference": reference, "person": person, "problem": problem}
    return render(request, "people/subject_access.html", context, status=400 if problem else 200)


@permission("person.import")
def people_import(request: HttpRequest) -> HttpResponse:
    """Administrators and seniors upload a CSV file of people; it is checked, and kept for them to confirm."""
    form = PeopleImportForm(request.POST or None, request.FILES or None)
    report: ImportReport | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # One byte past the limit at most: enough to refuse a file that is too big, in the service's words.
        content = upload.read(settings.PEOPLE_IMPORT_MAX_BYTES + 1)
        report, kept = import_upload_check(actor=request.user, content=content, file_name=upload.name or "")
        if kept is not None:
            return redirect("people:people_import_preview", key=kept.key)
        form.add_error("file", _("Nothing has been imported. Fix the problems listed, then upload the file again."))
    return _import_page(request, form, report)


@permission("person.import")
def people_import_preview(request: HttpRequest, key: str) -> HttpResponse:
    """What the checked file would do; confirming imports exactly that file, if it would still do the same."""
    try:
        upload = import_upload_get(request.user, key)
    except ImportUploadGone:
        return _import_gone(request)
    changed_since = False
    if request.method == "POST":
        try:
            report = import_upload_confirm(actor=request.user, key=key)
        except ImportUploadGone:
            return _import_gone(request)
        except ImportPlanChanged:
            changed_since = True
            upload = import_upload_get(request.user, key)
        else:
            if not report.ok:
                form = PeopleImportForm()
                form.add_error(
                    None,
                    _("The records changed since you checked the file, and now it has problems. Nothing was imported."),
                )
                return _import_page(request, form, report)
            messages.success(
                request,
                _("Import finished: %(created)s people added, %(updated)s updated, %(unchanged)s already up to date.")
                % {"created": report.created, "updated": report.updated, "unchanged": report.unchanged},
            )
            return redirect("people:people_import")
    context = {
        "upload": upload,
        "report": upload.report,
        "changed_since": changed_since,
        "expires_at": timezone.localtime(upload.expires_at),
    }
    return render(request, "people/import_preview.html", context, status=409 if changed_since else 200)


def _import_page(
    request: HttpRequest, form: PeopleImportForm, report: ImportReport | None, problem: str = ""
) -> HttpResponse:
    context = {
        "form": form,
        "problem": problem,
        "report": report,
        "columns": IMPORT_COLUMNS,
        "required": REQUIRED_COLUMNS,
        "keys": KEY_COLUMNS,
        "statuses": Status.choices,
        "max_mb": settings.PEOPLE_IMPORT_MAX_BYTES // (1024 * 1024),
    }
    return render(request, "people/import_upload.html", context, status=400 if form.errors or problem else 200)


def _import_gone(request: HttpRequest) -> HttpResponse:
    problem = _(
        "That upload is no longer waiting: it was imported, or it was not confirmed within %(minutes)s minutes. "
        "Upload the file again."
    ) % {"minutes": settings.PEOPLE_IMPORT_PREVIEW_MINUTES}
    return _import_page(request, PeopleImportForm(), None, problem)
