"""Practitioner pages (enrolment, review queue, review, statistics) and the person's check-in page.

Thin: parse, call a service or selector, render. Media goes out only through `checkin_media`, which
checks the policy and audits every view.
"""

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from onward.checkins import selectors, services
from onward.checkins.flags import flag_reasons_described
from onward.checkins.forms import (
    EnrolmentForm,
    ExtraQuestionForm,
    LocationForm,
    ReasonForm,
    ReviewFollowUpForm,
    ReviewForm,
    SuitabilityApprovalForm,
    SuitabilityScreenForm,
    VoiceEnrolmentForm,
    weekday_numbers,
)
from onward.checkins.models import (
    CheckIn,
    ContactPreference,
    Enrolment,
    ExtraQuestion,
    OfficeVisits,
    QuestionKind,
    State,
    SuitabilityScreen,
)
from onward.checkins.suitability import ScreenAnswers, reasons_described
from onward.core.audit_actions import AuditAction
from onward.core.permissions import can, permission
from onward.people.selectors import person_get

REVIEW_QUEUE_MAX = 200


# --- Practitioner: enrolment --------------------------------------------------------------------


@permission("checkin.enrol")
def enrolment(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_FOR_CHECKIN_ENROLMENT)
    if not can(request.user, "checkin.enrol", person):
        raise PermissionDenied("checkin.enrol")
    current = Enrolment.objects.filter(person=person).first()
    initial = (
        {
            "schedule": current.schedule,
            "weekdays": [str(d) for d in current.weekday_numbers],
            "window_hours": current.window_hours,
            "contact_preference": current.contact_preference,
            "office_visits": current.office_visits,
            "office_visits_reason": current.office_visits_reason,
        }
        if current
        else {
            "window_hours": settings.CHECKIN_WINDOW_HOURS,
            "contact_preference": services.contact_preference_default(person),
            "office_visits": OfficeVisits.SUPPLEMENTS,  # replacing them needs an approved suitability screen
        }
    )
    form = EnrolmentForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("photo")
        details = services.EnrolmentDetails(
            schedule=data["schedule"],
            weekdays=weekday_numbers(data["weekdays"]),
            window_hours=data["window_hours"],
            contact_preference=data["contact_preference"],
            office_visits=data["office_visits"],
            office_visits_reason=data["office_visits_reason"],
        )
        try:
            services.enrolment_save(
                actor=request.user, person=person, details=details, photo=upload.read() if upload else None
            )
        except ValidationError as error:
            _form_errors_add(form, error, photo_field=True)
        else:
            messages.success(request, _("Check-ins are set up for %(name)s.") % {"name": person.full_name})
            return redirect("checkins:enrolment", person_id=person.pk)
    context = {
        "person": person,
        "enrolment": current,
        "form": form,
        "stop_form": ReasonForm(),
        "question_form": ExtraQuestionForm(),
        "voice_form": VoiceEnrolmentForm(),
        "reachable": services.contact_preference_default(person) != ContactPreference.IN_APP,
        "voice_exempt_form": ReasonForm(prefix="voice"),
        "voice_phrases": _voice_phrases(),
        "waiting_questions": ExtraQuestion.objects.filter(person=person, checkin__isnull=True),
        "recent": selectors.checkins_of_person(person),
    }
    return render(request, "checkins/enrolment.html", context, status=400 if form.errors else 200)


@permission("checkin.enrol")
@require_POST
def enrolment_stop(request: HttpRequest, person_id: int) -> HttpResponse:
    return _enrolment_active_change(request, person_id, services.enrolment_stop, _("Check-ins are stopped."))


@permission("checkin.enrol")
@require_POST
def enrolment_restart(request: HttpRequest, person_id: int) -> HttpResponse:
    return _enrolment_active_change(request, person_id, services.enrolment_restart, _("Check-ins are running again."))


@permission("checkin.enrol")
@require_POST
def extra_question_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_FOR_CHECKIN_QUESTION)
    form = ExtraQuestionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Enter your question (up to 300 characters)."))
        services.extra_question_add(actor=request.user, person=person, text=form.cleaned_data["text"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your question will be asked at their next check-in."))
    return redirect("checkins:enrolment", person_id=person.pk)


@permission("checkin.enrol")
@require_POST
def voice_enrol(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_FOR_CHECKIN_VOICE)
    enrolment = Enrolment.objects.filter(person=person).first()
    form = VoiceEnrolmentForm(request.POST, request.FILES)
    try:
        if enrolment is None:
            raise ValidationError(_("Set up check-ins before you record their voice."))
        if not form.is_valid():
            raise ValidationError(_("Choose a recording for each of the three phrases."))
        uploads = [form.cleaned_data[f"phrase_{n}"] for n in (1, 2, 3)]
        if any(upload.size > settings.BIOMETRIC_MAX_VIDEO_BYTES for upload in uploads):
            raise ValidationError(_("Each recording must be smaller than 25 MB. Record a shorter one."))
        phrases = [upload.read() for upload in uploads]
        services.voice_enrol(actor=request.user, enrolment=enrolment, phrases=phrases)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Their voice is recorded. Check-in videos will be checked against it."))
    return redirect("checkins:enrolment", person_id=person.pk)


@permission("checkin.enrol")
@require_POST
def voice_exempt(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_FOR_CHECKIN_VOICE)
    enrolment = Enrolment.objects.filter(person=person).first()
    form = ReasonForm(request.POST, prefix="voice")
    try:
        if enrolment is None:
            raise ValidationError(_("Set up check-ins before you change the voice check."))
        if not form.is_valid():
            raise ValidationError(_("Say why they cannot use the voice check."))
        services.voice_exempt(actor=request.user, enrolment=enrolment, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Their check-ins will have no voice check."))
    return redirect("checkins:enrolment", person_id=person.pk)


def _voice_phrases() -> list[str]:
    from onward.biometrics.voice import ENROLMENT_PHRASES

    return [_(phrase) for phrase in ENROLMENT_PHRASES]


@permission("checkin.review")
@require_GET
def reference_photo(request: HttpRequest, person_id: int) -> FileResponse:
    found = selectors.reference_photo_open(request.user, person_id)
    response = FileResponse(found.reference_photo.open("rb"), content_type=found.reference_content_type or "image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


# --- Practitioner: review -----------------------------------------------------------------------


@permission("checkin.review")
def review_queue(request: HttpRequest) -> HttpResponse:
    checkins = list(selectors.review_queue(request.user)[:REVIEW_QUEUE_MAX])
    for checkin in checkins:
        checkin.face_words = selectors.score_in_words(checkin.face_distance, checkin.face_decision)  # type: ignore[attr-defined]
        checkin.flags = flag_reasons_described(checkin.flag_reasons)  # type: ignore[attr-defined]
    return render(request, "checkins/review_queue.html", {"checkins": checkins})


@permission("checkin.review")
def checkin_review(request: HttpRequest, checkin_id: int) -> HttpResponse:
    checkin = selectors.checkin_get(request.user, checkin_id, purpose=AuditAction.CHECKIN_VIEW_FOR_REVIEW)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.checkin_review_record(
                actor=request.user,
                checkin=checkin,
                decision=form.cleaned_data["decision"],
                notes=form.cleaned_data["notes"],
                sensitive=form.cleaned_data["sensitive"],
                helped_manage_risk=form.cleaned_data["helped_manage_risk"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your decision is recorded."))
            return redirect("checkins:review_queue")
    language = get_language() or "en-gb"
    answers = [
        {
            "question": a.question.text(language)
            if a.question
            else (a.extra_question.text if a.extra_question else ""),
            "value": _answer_words(a, language),
            "comment": a.comment,
            "flagged": a.flagged,
        }
        for a in checkin.answers.select_related("question", "extra_question").order_by("question__position", "pk")
    ]
    verifications = list(checkin.verifications.select_related("media").order_by("created_at"))
    for verification in verifications:
        verification.words = selectors.score_in_words(verification.distance, verification.decision)  # type: ignore[attr-defined]
        verification.liveness = selectors.liveness_report(verification)  # type: ignore[attr-defined]
    context = {
        "checkin": checkin,
        "flags": flag_reasons_described(checkin.flag_reasons),
        "person": checkin.person,
        "form": form,
        "close_form": ReasonForm(),
        "answers": answers,
        "verifications": verifications,
        "frames": selectors.best_frames(checkin),
        "trace_size": (selectors.TRACE_WIDTH, selectors.TRACE_HEIGHT),
        "face_words": selectors.score_in_words(checkin.face_distance, checkin.face_decision),
        "has_reference": bool(checkin.enrolment.reference_photo),
        "may_decide": checkin.state == State.SUBMITTED,
        "may_close": checkin.state == State.EXPIRED,
        "follow_up_form": _follow_up_form(checkin),
    }
    return render(request, "checkins/review.html", context, status=400 if form.errors else 200)


@permission("checkin.review")
@require_POST
def checkin_close(request: HttpRequest, checkin_id: int) -> HttpResponse:
    checkin = selectors.checkin_get(request.user, checkin_id, purpose=AuditAction.CHECKIN_VIEW_FOR_CLOSE)
    form = ReasonForm(request.POST)
    try:
        services.checkin_close_missed(
            actor=request.user, checkin=checkin, reason=form.data.get("reason", "") if form.is_bound else ""
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("checkins:review", checkin_id=checkin.pk)
    messages.success(request, _("The missed check-in is closed."))
    return redirect("checkins:review_queue")


@permission("checkin.review")
@require_POST
def review_follow_up(request: HttpRequest, checkin_id: int) -> HttpResponse:
    """After the decision: whether the check-in helped manage risk, and whether it is sensitive."""
    checkin = selectors.checkin_get(request.user, checkin_id, purpose=AuditAction.CHECKIN_VIEW_FOR_REVIEW)
    review = getattr(checkin, "review", None)
    if review is None:
        messages.error(request, _("Record your decision on this check-in first."))
        return redirect("checkins:review", checkin_id=checkin.pk)
    form = ReviewFollowUpForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say whether the check-in helped manage risk: yes, no or not sure."))
        services.review_follow_up_record(
            actor=request.user,
            review=review,
            sensitive=form.cleaned_data["sensitive"],
            helped_manage_risk=form.cleaned_data["helped_manage_risk"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("checkins:review", checkin_id=checkin.pk)


# --- Practitioner: suitability for remote check-ins -----------------------------------------------


@permission("checkin.suitability_screen")
def suitability(request: HttpRequest, person_id: int) -> HttpResponse:
    """The person's screens, newest first; a new screen; approval of the newest by a senior practitioner."""
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_FOR_CHECKIN_SUITABILITY)
    if not can(request.user, "checkin.suitability_screen", person):
        raise PermissionDenied("checkin.suitability_screen")
    form = SuitabilityScreenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        yes = {name: data[name] == "yes" for name in SuitabilityScreenForm.YES_NO_FIELDS}
        try:
            screen = services.suitability_screen_record(
                actor=request.user,
                person=person,
                answers=ScreenAnswers(mappa_level=data["mappa_level"], **yes),
                rationale=data["rationale"],
            )
        except ValidationError as error:
            _form_errors_add(form, error, photo_field=False)
        else:
            messages.success(
                request,
                _("The screen is recorded: %(outcome)s. A senior practitioner needs to approve it.")
                % {"outcome": screen.get_outcome_display()},
            )
            return redirect("checkins:suitability", person_id=person.pk)
    return _suitability_page(request, person, form, SuitabilityApprovalForm())


@permission("checkin.suitability_approve")
def suitability_approve(request: HttpRequest, person_id: int, screen_id: int) -> HttpResponse:
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_FOR_CHECKIN_SUITABILITY)
    screen = SuitabilityScreen.objects.filter(person=person, pk=screen_id).first()
    if screen is None or not can(request.user, "checkin.suitability_approve", person):
        raise PermissionDenied("checkin.suitability_approve")
    if request.method != "POST":
        return redirect("checkins:suitability", person_id=person.pk)
    approval_form = SuitabilityApprovalForm(request.POST)
    if approval_form.is_valid():
        try:
            services.suitability_screen_approve(
                actor=request.user, screen=screen, rationale=approval_form.cleaned_data["rationale"]
            )
        except ValidationError as error:
            _form_errors_add(approval_form, error, photo_field=False)
        else:
            messages.success(request, _("You approved the screen."))
            return redirect("checkins:suitability", person_id=person.pk)
    return _suitability_page(request, person, SuitabilityScreenForm(), approval_form)


def _suitability_page(request: HttpRequest, person: Any, form: Any, approval_form: Any) -> HttpResponse:
    screens = selectors.suitability_screens(person)
    for screen in screens:
        screen.reasons_words = reasons_described(screen.reasons)  # type: ignore[attr-defined]
    current = screens[0] if screens else None
    allowed = services.checkin_modes_allowed(person)
    context = {
        "person": person,
        "form": form,
        "approval_form": approval_form,
        "current": current,
        "history": screens[1:],
        "may_approve": current is not None
        and not current.approved
        and current.screened_by_id != request.user.pk
        and can(request.user, "checkin.suitability_approve", person),
        "made_it_yourself": current is not None and not current.approved and current.screened_by_id == request.user.pk,
        "may_replace": OfficeVisits.REPLACES in allowed,
        "may_supplement": OfficeVisits.SUPPLEMENTS in allowed,
        "replace_refusal": services.checkin_mode_refusal(person, OfficeVisits.REPLACES),
    }
    status = 400 if form.errors or approval_form.errors else 200
    return render(request, "checkins/suitability.html", context, status=status)


def _follow_up_form(checkin: CheckIn) -> ReviewFollowUpForm | None:
    review = getattr(checkin, "review", None) if checkin.state == State.REVIEWED else None
    if review is None:
        return None
    return ReviewFollowUpForm(initial={"helped_manage_risk": review.helped_manage_risk, "sensitive": review.sensitive})


@permission("checkin.review")
@require_GET
def checkin_media(request: HttpRequest, media_id: int) -> FileResponse:
    media = selectors.media_open(request.user, media_id)
    response = FileResponse(media.file.open("rb"), content_type=media.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@permission("checkin.statistics")
def statistics(request: HttpRequest) -> HttpResponse:
    return render(request, "checkins/statistics.html", {"stats": selectors.checkin_statistics(request.user)})


# --- The person ---------------------------------------------------------------------------------
# The page's script does each step through the API (onward/api/checkins.py). Without the script,
# the page's own forms post here, to the same services, and come back to the page.

# No "media" step: a check-in video is recorded live by the page's camera script for a challenge and
# sent through the API; the page takes no files from the phone's gallery.
PERSON_STEPS = ("answers", "location", "submit")


@permission("person.self")
def person_checkin(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "checkin.respond"):
        raise PermissionDenied("checkin.respond")
    checkin = selectors.checkin_current_for_person(request.user)
    if request.method == "POST":
        return _person_step(request, checkin)
    context: dict[str, Any] = {"checkin": checkin}
    if checkin is not None:
        questions = selectors.checkin_questions_for_person(checkin, get_language() or "en-gb")
        context.update(
            {
                "questions": questions,
                "answered": any(q.value not in (None, "", []) for q in questions),
                "attempts_left": selectors.checkin_attempts_left(checkin),
                "submission_key": uuid.uuid4().hex,
                "face": selectors.checkin_face_status(checkin),
            }
        )
    return render(request, "checkins/person_checkin.html", context)


@permission("person.self")
@require_GET
def person_sent(request: HttpRequest, checkin_id: int) -> HttpResponse:
    checkin = selectors.checkin_for_person(request.user, checkin_id)
    return render(request, "checkins/person_sent.html", {"checkin": checkin})


def _person_step(request: HttpRequest, checkin: CheckIn | None) -> HttpResponse:
    """One step sent by the page's plain form (no script): answers, the position, or the send."""
    step = request.POST.get("step", "")
    if checkin is None or step not in PERSON_STEPS:
        messages.error(request, _("This check-in has already been sent or has closed."))
        return redirect("checkins:person_checkin")
    try:
        if step == "answers":
            services.checkin_answers_save(actor=request.user, checkin=checkin, answers=_answers_from(request, checkin))
            messages.success(request, _("Your answers are saved."))
        elif step == "location":
            form = LocationForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Your phone sent a position we could not read. Try again."))
            services.checkin_location_save(
                actor=request.user,
                checkin=checkin,
                latitude=form.cleaned_data["latitude"],
                longitude=form.cleaned_data["longitude"],
                accuracy_m=form.cleaned_data["accuracy"],
                consent=form.cleaned_data["consent"],
            )
            messages.success(request, _("Thank you. Your location is shared with this check-in."))
        else:
            sent = services.checkin_submit(
                actor=request.user, checkin=checkin, idempotency_key=request.POST.get("idempotency_key", "")
            )
            return redirect("checkins:person_sent", checkin_id=sent.pk)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    return redirect("checkins:person_checkin")


def _answers_from(request: HttpRequest, checkin: CheckIn) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in checkin.questionnaire.questions.all():
        if question.kind == QuestionKind.MANY_CHOICES:
            answers[question.key] = request.POST.getlist(question.key)
        else:
            answers[question.key] = request.POST.get(question.key, "").strip()
    for extra in checkin.extra_questions.all():
        answers[f"extra-{extra.pk}"] = request.POST.get(f"extra-{extra.pk}", "")
    return answers


# --- Helpers ------------------------------------------------------------------------------------


def _enrolment_active_change(request: HttpRequest, person_id: int, change: Any, success: str) -> HttpResponse:
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_FOR_CHECKIN_STATUS)
    current = Enrolment.objects.filter(person=person).first()
    if current is None:
        raise PermissionDenied("checkin.enrol")
    try:
        change(actor=request.user, enrolment=current, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("checkins:enrolment", person_id=person.pk)


def _answer_words(answer: Any, language: str) -> str:
    question = answer.question
    if question is None or not question.choices:
        return str(answer.value)
    labels = dict(question.choice_list(language))
    values = answer.value if isinstance(answer.value, list) else [answer.value]
    return ", ".join(str(labels.get(v, v)) for v in values)


def _form_errors_add(form: Any, error: ValidationError, *, photo_field: bool) -> None:
    if hasattr(error, "error_dict"):
        for field_name, errors in error.message_dict.items():
            form.add_error(field_name if field_name in form.fields else None, errors)
    elif photo_field:
        form.add_error("photo", error.messages)
    else:
        form.add_error(None, error)
