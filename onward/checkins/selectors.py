"""Reads of check-ins, scoped by the policy. Reads of the evidence (a check-in, its media) are audited."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext as _

from onward.audit.services import audit_record
from onward.checkins.models import (
    AWAITING_STAFF_STATES,
    CheckIn,
    CheckInMedia,
    Enrolment,
    FaceDecision,
    MediaKind,
    ReviewDecision,
    State,
    SuitabilityScreen,
    Verification,
    VerificationStatus,
)
from onward.checkins.rules import checkins_visible_to
from onward.core.audit_actions import AuditAction
from onward.core.permissions import require
from onward.people.models import Person
from onward.people.rules import acting_role, people_visible_to

CHALLENGE_CACHE_KEY = "checkin-challenge:{checkin_id}"  # written by services.checkin_challenge_issue


def review_queue(user: Any) -> QuerySet[CheckIn]:
    """Submitted and missed check-ins waiting for this practitioner or their team: flagged first, then oldest."""
    require(user, "checkin.review")
    return (
        checkins_visible_to(user)
        .filter(state__in=list(AWAITING_STAFF_STATES))
        .select_related("person")
        .annotate(waiting_since=Case(When(state=State.EXPIRED, then=F("closes_at")), default=F("submitted_at")))
        .order_by("-flagged", "waiting_since", "pk")
    )


def checkin_get(user: Any, checkin_id: int, *, purpose: AuditAction = AuditAction.CHECKIN_VIEW) -> CheckIn:
    """One check-in for review. The same answer whether it does not exist or is not theirs to see."""
    require(user, "checkin.review")
    checkin = (
        checkins_visible_to(user)
        .select_related("person", "person__unit", "enrolment", "questionnaire")
        .filter(pk=checkin_id)
        .first()
    )
    if checkin is None:
        raise PermissionDenied("checkin.review")
    audit_record(
        actor=user,
        role=acting_role(user, checkin.person),
        action=purpose,
        person=checkin.person,
        target=checkin,
    )
    return checkin


def checkin_for_person(user: Any, checkin_id: int) -> CheckIn:
    """The person's own check-in (never another's: the same 404 for both)."""
    require(user, "checkin.respond")
    checkin = (
        CheckIn.objects.select_related("person", "questionnaire", "enrolment")
        .filter(pk=checkin_id, person_id=user.person_id)
        .first()
    )
    if checkin is None:
        raise PermissionDenied("checkin.respond")
    return checkin


def checkin_current_for_person(user: Any) -> CheckIn | None:
    """The person's earliest check-in still open now."""
    require(user, "checkin.respond")
    now = timezone.now()
    return (
        CheckIn.objects.select_related("person", "questionnaire", "enrolment")
        .filter(person_id=user.person_id, state=State.CREATED, opens_at__lte=now, closes_at__gt=now)
        .order_by("closes_at")
        .first()
    )


@dataclass(frozen=True)
class PersonQuestion:
    """One question as the person sees it: the questionnaire's, or their practitioner's own (free text)."""

    key: str
    kind: str
    text: str
    choices: list[tuple[str, str]]  # (value, label in the person's language)
    required: bool
    value: Any  # what they saved: a string, a list for several choices, or None


@dataclass(frozen=True)
class FaceStatus:
    """The latest face check in plain words for the person: none, pending, failed or done."""

    status: str
    message: str
    matched: bool | None = None


def checkin_questions_for_person(checkin: CheckIn, language: str) -> list[PersonQuestion]:
    """The check-in's questions in the person's language, with the answers they saved so far."""
    saved: dict[Any, Any] = {}
    for answer in checkin.answers.all():
        saved[("q", answer.question_id) if answer.question_id else ("x", answer.extra_question_id)] = answer.value
    questions = [
        PersonQuestion(
            key=q.key,
            kind=q.kind,
            text=q.text(language),
            choices=q.choice_list(language),
            required=q.required,
            value=saved.get(("q", q.pk)),
        )
        for q in checkin.questionnaire.questions.all()
    ]
    questions += [
        PersonQuestion(
            key=f"extra-{e.pk}", kind="text", text=e.text, choices=[], required=False, value=saved.get(("x", e.pk))
        )
        for e in checkin.extra_questions.all()
    ]
    return questions


def checkin_attempts_left(checkin: CheckIn) -> int:
    """How many more photos or clips the person may send for the face step."""
    return max(settings.CHECKIN_FACE_ATTEMPTS_MAX - checkin.face_attempts, 0)


def checkin_face_status(checkin: CheckIn) -> FaceStatus:
    """The latest face check in plain words for the person."""
    latest: Verification | None = checkin.verifications.order_by("-created_at", "-pk").first()
    if latest is None:
        return FaceStatus("none", "")
    if latest.status == VerificationStatus.PENDING:
        return FaceStatus("pending", _("We are checking your photo. This takes a few seconds."))
    if latest.status == VerificationStatus.FAILED:
        return FaceStatus("failed", _(latest.message) if latest.message else "")
    # "Matched" as the person is told it: the face matches and the move was seen (or not asked for).
    matched = latest.decision == FaceDecision.MATCH and latest.liveness_passed is not False
    if matched:
        message = _("Thank you. We could see it is you.")
    else:
        message = (
            _(latest.message)
            if latest.message
            else _("We could not be sure it is you. You can try again, or send your check-in.")
        )
    return FaceStatus("done", message, matched)


def checkin_challenge_issued(checkin: CheckIn) -> Any:
    """The liveness challenge last issued for this check-in (`services.checkin_challenge_issue`) and
    not yet used, as a biometrics.liveness.Challenge, or None."""
    from onward.biometrics.liveness import Challenge

    stored = cache.get(CHALLENGE_CACHE_KEY.format(checkin_id=checkin.pk))
    if not isinstance(stored, dict):
        return None
    try:
        return Challenge.from_dict(stored)
    except ValueError:
        return None


def media_open(user: Any, media_id: int) -> CheckInMedia:
    """A check-in photo, video or frame for a reviewer. Every view of it is audited."""
    require(user, "checkin.review")
    media = (
        CheckInMedia.objects.select_related("checkin__person")
        .filter(pk=media_id, checkin__in=checkins_visible_to(user), deleted_at__isnull=True)
        .first()
    )
    if media is None or not media.file:
        raise PermissionDenied("checkin.review")
    person = media.checkin.person
    audit_record(
        actor=user,
        role=acting_role(user, person),
        action=AuditAction.CHECKIN_MEDIA_VIEWED,
        person=person,
        target=media,
        data={"kind": media.kind, "checkin": media.checkin_id},
    )
    return media


def reference_photo_open(user: Any, person_id: int) -> Enrolment:
    """A person's enrolled reference photo, for their supervisors. Every view is audited."""
    require(user, "checkin.review")
    enrolment = Enrolment.objects.select_related("person").filter(person_id=person_id).first()
    if enrolment is None or not enrolment.reference_photo:
        raise PermissionDenied("checkin.review")
    require(user, "checkin.review", enrolment.person)
    audit_record(
        actor=user,
        role=acting_role(user, enrolment.person),
        action=AuditAction.CHECKIN_REFERENCE_PHOTO_VIEWED,
        person=enrolment.person,
        target=enrolment,
    )
    return enrolment


def checkins_of_person(person: Person, limit: int = 10) -> list[CheckIn]:
    return list(person.checkins.select_related("review").order_by("-due_date")[:limit])


def best_frames(checkin: CheckIn) -> list[CheckInMedia]:
    return list(checkin.media.filter(kind=MediaKind.FRAME, deleted_at__isnull=True).order_by("uploaded_at"))


def score_in_words(distance: float | None, decision: str) -> str:
    """The face score as a reviewer reads it."""
    if decision == FaceDecision.NO_FACE or (not decision):
        return _("No face found") if decision else _("Not checked")
    if decision == FaceDecision.MATCH:
        if distance is not None and distance <= settings.CHECKIN_STRONG_MATCH_DISTANCE:
            return _("Strong match")
        return _("Match")
    if decision == FaceDecision.REVIEW:
        return _("Needs your judgement")
    return _("No match")


@dataclass(frozen=True)
class CheckinStatistics:
    days: int
    due: int
    on_time: int
    missed: int
    flagged: int
    reviewed: int
    agreed: int
    false_accepts: int
    false_rejects: int
    waiting: int

    @property
    def on_time_percent(self) -> int | None:
        finished = self.on_time + self.missed
        return round(100 * self.on_time / finished) if finished else None

    @property
    def agreement_percent(self) -> int | None:
        compared = self.agreed + self.false_accepts + self.false_rejects
        return round(100 * self.agreed / compared) if compared else None


def checkin_statistics(user: Any, days: int | None = None) -> CheckinStatistics:
    """Completion, misses, flags and how often the automated face decision agreed with the practitioner's."""
    require(user, "checkin.statistics")
    span = days or settings.CHECKIN_STATISTICS_DAYS
    since = timezone.localdate() - timedelta(days=span)
    checkins = checkins_visible_to_manager(user).filter(due_date__gte=since)
    rows = list(checkins.values("state", "flagged", "face_decision", "review__decision"))
    submitted_states = {State.SUBMITTED, State.REVIEWED}
    agreed = false_accepts = false_rejects = 0
    for row in rows:
        human = row["review__decision"]
        automated = row["face_decision"]
        if not human or automated not in (FaceDecision.MATCH, FaceDecision.NO_MATCH):
            continue
        human_match = human in (ReviewDecision.MATCH, ReviewDecision.MATCH_WITH_CONCERN)
        if automated == FaceDecision.MATCH and not human_match:
            false_accepts += 1
        elif automated == FaceDecision.NO_MATCH and human_match:
            false_rejects += 1
        else:
            agreed += 1
    return CheckinStatistics(
        days=span,
        due=len(rows),
        on_time=sum(1 for r in rows if r["state"] in submitted_states),
        missed=sum(1 for r in rows if r["state"] in (State.EXPIRED, State.CLOSED)),
        flagged=sum(1 for r in rows if r["flagged"]),
        reviewed=sum(1 for r in rows if r["state"] == State.REVIEWED),
        agreed=agreed,
        false_accepts=false_accepts,
        false_rejects=false_rejects,
        waiting=sum(1 for r in rows if r["state"] == State.CREATED),
    )


def checkins_visible_to_manager(user: Any) -> QuerySet[CheckIn]:

    return CheckIn.objects.filter(person__in=people_visible_to(user))


# --- What the reviewer sees of a clip's liveness check -------------------------------------------------

TRACE_WIDTH, TRACE_HEIGHT = 600, 120  # the colour-response chart, in SVG units


@dataclass(frozen=True)
class LivenessStepRow:
    number: int
    move: str  # the words the person was shown
    when: str  # "0.0–1.3 s"
    colour: str  # CSS rgb()
    passed: bool
    measured: str


@dataclass(frozen=True)
class LivenessReport:
    summary: str  # one plain sentence
    steps: list[LivenessStepRow]
    colour_words: str
    bands: list[tuple[float, float, str]]  # the chart: (x, width, CSS colour) of each step's screen colour
    lines: list[tuple[str, str]]  # (CSS colour, SVG points) of the face's red, green and blue change
    nose_depth: float | None
    engine: str
    model_version: str


def liveness_report(verification: Any) -> LivenessReport | None:
    """Each step with its result, the colour-response trace and one plain summary, from what the
    liveness checker kept (Verification.liveness_details); None for a photo or an older check."""
    from onward.biometrics.liveness import LIVENESS_MESSAGES, MOVE_WORDS

    details = verification.liveness_details or {}
    if not verification.liveness_checked or (not details.get("steps") and not details.get("reason_code")):
        return None
    steps = [
        LivenessStepRow(
            number=index,
            move=_(MOVE_WORDS.get(step["move"], step["move"])),
            when=f"{step['start_ms'] / 1000:.1f}–{step['end_ms'] / 1000:.1f} s",
            colour="rgb({}, {}, {})".format(*step["screen_rgb"]),
            passed=bool(step["passed"]),
            measured=str(step.get("measured", "")),
        )
        for index, step in enumerate(details.get("steps", []), start=1)
    ]
    colour = details.get("colour") or {}
    reason = details.get("reason_code", verification.liveness_reason)
    done = sum(step.passed for step in steps)
    summary = _("Liveness passed: each move at its time, the screen's colours on the face, and a real head.")
    if reason != "ok":
        summary = _("Liveness not passed: %(why)s (%(done)d of %(all)d moves seen at their times).") % {
            "why": _(LIVENESS_MESSAGES.get(reason, reason)),
            "done": done,
            "all": len(steps),
        }
    colour_words = ""
    if colour:
        colour_words = _(
            "Face colour followed the screen with correlation %(corr).2f; the face changed %(face).1f times "
            "as much as the background (response %(response).3f)."
        ) % {
            "corr": colour.get("correlation", 0.0),
            "face": colour.get("face_response", 0.0) / max(abs(colour.get("background_response", 0.0)), 0.001),
            "response": colour.get("face_response", 0.0),
        }
    bands, lines = _trace_chart(details.get("steps", []), colour.get("trace", []))
    return LivenessReport(
        summary=summary,
        steps=steps,
        colour_words=colour_words,
        bands=bands,
        lines=lines,
        nose_depth=details.get("nose_depth"),
        engine=verification.liveness_engine,
        model_version=verification.liveness_model_version,
    )


def _trace_chart(steps: list[dict[str, Any]], trace: list[Any]) -> tuple[list[tuple[float, float, str]], list[Any]]:
    if not steps:
        return [], []
    end_ms = max(step["end_ms"] for step in steps) or 1
    scale = TRACE_WIDTH / end_ms
    bands = [
        (
            round(s["start_ms"] * scale, 1),
            round((s["end_ms"] - s["start_ms"]) * scale, 1),
            "rgb({}, {}, {})".format(*s["screen_rgb"]),
        )
        for s in steps
    ]
    if not trace:
        return bands, []
    biggest = max((abs(v) for _ms, _rgb, face in trace for v in face), default=1.0) or 1.0
    lines = []
    for channel, css in enumerate(("#d4351c", "#00703c", "#1d70b8")):
        points = " ".join(
            f"{round(ms * scale, 1)},{round(TRACE_HEIGHT / 2 - face[channel] / biggest * TRACE_HEIGHT * 0.45, 1)}"
            for ms, _rgb, face in trace
        )
        lines.append((css, points))
    return bands, lines


def suitability_screen_current(person: Person) -> SuitabilityScreen | None:
    """The newest suitability screen: the one the gate reads (older ones are history)."""
    return SuitabilityScreen.objects.filter(person=person).order_by("-screened_at", "-pk").first()


def suitability_screens(person: Person) -> list[SuitabilityScreen]:
    """Every screen, newest first, with who made and approved it."""
    return list(
        SuitabilityScreen.objects.filter(person=person)
        .select_related("screened_by", "approved_by")
        .order_by("-screened_at", "-pk")
    )
