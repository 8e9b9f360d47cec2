"""Every change to check-ins. Each checks the policy, runs in one transaction and writes its audit event.

Slow work (the face engines) runs outside the transaction: at enrolment before it opens, and for
check-ins in a job (`verification_run`) enqueued when the upload commits.
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import ModuleType
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from onward.accounts.services import person_account_ensure, sign_in_link_issue
from onward.alerts.models import WAITING_STATES, Alert, AlertKind
from onward.alerts.services import AlertCause, alert_raise
from onward.audit.services import audit_record
from onward.checkins.events import CheckinLocationShared
from onward.checkins.flags import FACE_FLAGS, LOCATION_FLAGS, FlagReason
from onward.checkins.models import (
    FACE_DECISION_RANK,
    OPEN_STATES,
    REASON_REQUIRED,
    SCHEDULE_INTERVAL_DAYS,
    Answer,
    CheckIn,
    CheckInKind,
    CheckInMedia,
    ContactPreference,
    Enrolment,
    ExtraQuestion,
    FaceDecision,
    HelpedManageRisk,
    LocationVerdict,
    MediaFingerprint,
    MediaKind,
    OfficeVisits,
    QuestionKind,
    Questionnaire,
    Review,
    ReviewDecision,
    Schedule,
    State,
    Suitability,
    SuitabilityScreen,
    Verification,
    VerificationStatus,
    VoiceStatus,
)
from onward.checkins.reminders import CHECKIN_REMINDERS
from onward.checkins.selectors import CHALLENGE_CACHE_KEY, checkin_challenge_issued, suitability_screen_current
from onward.checkins.suitability import MODES_ALLOWED, RULES_VERSION, ScreenAnswers, suitability_outcome
from onward.core.actors import SystemActor
from onward.core.audit_actions import AuditAction
from onward.core.crypto import decrypt_bytes, encrypt_bytes
from onward.core.events import announce
from onward.core.permissions import require
from onward.core.retention import RETENTION_ACTOR
from onward.location.address import Fix, address_check
from onward.notifications.models import Channel
from onward.notifications.push import push_reachable
from onward.notifications.reminders import reminders_plan_for
from onward.notifications.services import contact_for, notification_queue
from onward.people.models import Person
from onward.people.rules import acting_role

logger = logging.getLogger(__name__)

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
WEBM_MAGIC = b"\x1a\x45\xdf\xa3"
MP4_BRAND_OFFSET = 4
MP4_BRAND = b"ftyp"
PHOTO_TYPES = frozenset({"image/jpeg", "image/png"})
VIDEO_TYPES = frozenset({"video/webm", "video/mp4"})
REASON_MIN_CHARS = 3
RATIONALE_MAX_CHARS = 5000
IDEMPOTENCY_KEY_MAX_CHARS = 64


class EnrolmentRefused(ValidationError):
    """The reference photo cannot be used; the message says why in plain words."""


class MediaRefused(ValidationError):
    """The upload is not a photo or video we can take; the message says what to do."""


# --- Enrolment ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnrolmentDetails:
    schedule: str
    office_visits: str
    office_visits_reason: str
    weekdays: list[int] = field(default_factory=list)
    window_hours: int | None = None
    contact_preference: str = ContactPreference.SMS
    starts_on: date | None = None


def contact_preference_default(person: Person) -> str:
    """How a new enrolment tells the person: the way that reaches them now (their checked phone by text,
    else their checked email, else notifications on their phone; their own reminder choice first),
    "in the app only" only when nothing else does."""
    channel, _address = contact_for(person)
    return channel if channel in ContactPreference.values else ContactPreference.IN_APP


def enrolment_save(*, actor: Any, person: Person, details: EnrolmentDetails, photo: bytes | None = None) -> Enrolment:
    """Enrol a person (a reference photo is needed the first time) or change their schedule.

    The photo goes through the face engine first; a photo it refuses is refused with its plain reason.
    """
    require(actor, "checkin.enrol", person)
    _details_check(details)
    _mode_check(person, details.office_visits)  # before the face engine's slow work; again inside the transaction
    existing = Enrolment.objects.filter(person=person).first()
    if photo is None and (existing is None or not existing.has_template):
        raise EnrolmentRefused(_("Upload a photo of their face to enrol them."))
    outcome = None
    content_type = ""
    if photo is not None:
        content_type = media_type_sniff(photo)
        if content_type not in PHOTO_TYPES:
            raise EnrolmentRefused(_("The reference photo must be a JPEG or PNG image."))
        if len(photo) > settings.CHECKIN_REFERENCE_PHOTO_MAX_BYTES:
            raise EnrolmentRefused(_("The photo is too large. Use a photo smaller than 8 MB."))
        outcome = biometrics().enrol_reference_photo(photo)
        if not outcome.ok or not outcome.template:
            raise EnrolmentRefused(outcome.message or _("We could not use this photo. Try another."))
    with transaction.atomic():
        _mode_check(person, details.office_visits)
        enrolment = existing or Enrolment(person=person, enrolled_by=actor)
        before = _enrolment_snapshot(enrolment) if existing else {}
        enrolment.schedule = details.schedule
        enrolment.weekdays = (
            ",".join(str(d) for d in sorted(set(details.weekdays))) if details.schedule == Schedule.WEEKDAYS else ""
        )
        enrolment.window_hours = details.window_hours or settings.CHECKIN_WINDOW_HOURS
        enrolment.contact_preference = details.contact_preference
        enrolment.office_visits = details.office_visits
        enrolment.office_visits_reason = details.office_visits_reason.strip()
        if details.starts_on:
            enrolment.starts_on = details.starts_on
        old_photo = enrolment.reference_photo.name if existing else ""
        if outcome is not None and photo is not None:
            enrolment.template_encrypted = encrypt_bytes(outcome.template or b"")
            enrolment.engine = outcome.engine
            enrolment.model_version = outcome.model_version
            enrolment.reference_content_type = content_type
            enrolment.template_deleted_at = None
            enrolment.enrolled_at = timezone.now()
            enrolment.enrolled_by = actor
            enrolment.reference_photo.save("reference", ContentFile(photo), save=False)
        enrolment.save()
        if old_photo and outcome is not None:
            transaction.on_commit(lambda: default_storage.delete(old_photo))
        audit_record(
            actor=actor,
            role=acting_role(actor, person),
            action=AuditAction.CHECKIN_ENROLMENT_CHANGED if existing else AuditAction.CHECKIN_ENROLLED,
            person=person,
            target=enrolment,
            reason=enrolment.office_visits_reason,
            data={
                "before": before,
                "after": _enrolment_snapshot(enrolment),
                "new_reference_photo": outcome is not None,
                "engine": enrolment.engine,
                "model_version": enrolment.model_version,
            },
        )
    return enrolment


def enrolment_stop(*, actor: Any, enrolment: Enrolment, reason: str) -> Enrolment:
    """Stop check-ins for a person. Open check-ins stay open; no new ones are made."""
    return _enrolment_active_set(actor=actor, enrolment=enrolment, active=False, reason=reason)


def enrolment_restart(*, actor: Any, enrolment: Enrolment, reason: str) -> Enrolment:
    if not enrolment.has_template:
        raise ValidationError(_("Upload a new reference photo before restarting check-ins."))
    return _enrolment_active_set(actor=actor, enrolment=enrolment, active=True, reason=reason)


def enrolment_template_delete(*, actor: Any | None, person: Person, reason: str) -> bool:
    """Delete the face template and reference photo when supervision ends (the lead calls this).

    `actor` may be None when a job or a status change calls it. True when something was deleted.
    """
    if actor is not None:
        require(actor, "checkin.enrol", person)
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().filter(person=person).first()
        if enrolment is None or (
            not enrolment.has_template and not enrolment.reference_photo and not enrolment.voice_template_encrypted
        ):
            return False
        photo_name = enrolment.reference_photo.name
        enrolment.template_encrypted = None
        enrolment.voice_template_encrypted = None
        enrolment.reference_photo = ""
        enrolment.template_deleted_at = timezone.now()
        enrolment.active = False
        enrolment.status_reason = reason
        enrolment.status_changed_at = timezone.now()
        enrolment.save()
        audit_record(
            actor=actor,
            role=acting_role(actor, person) if actor is not None else "",
            action=AuditAction.CHECKIN_TEMPLATE_DELETED,
            person=person,
            target=enrolment,
            reason=reason,
        )
        if photo_name:
            transaction.on_commit(lambda: default_storage.delete(photo_name))
    return True


def checkins_cancel_open(*, actor: Any | None, person: Person, reason: str) -> int:
    """Cancel every check-in still waiting for the person (their supervision ended). One audit event."""
    with transaction.atomic():
        ids = list(
            CheckIn.objects.select_for_update()
            .filter(person=person, state__in=OPEN_STATES)
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        CheckIn.objects.filter(pk__in=ids).update(
            state=State.CANCELLED, state_reason=reason, state_changed_at=timezone.now()
        )
        audit_record(
            actor=actor,
            role=acting_role(actor, person) if actor is not None else "",
            action=AuditAction.CHECKIN_CANCELLED_AT_SUPERVISION_END,
            person=person,
            reason=reason,
            data={"checkins": ids},
        )
    return len(ids)


def voice_enrol(*, actor: Any, enrolment: Enrolment, phrases: list[bytes]) -> Enrolment:
    """Record the person's voice from three short phrases; the template is kept encrypted like the face's.

    The recordings go through the voice engine first (outside the transaction) and are not kept.
    """
    require(actor, "checkin.enrol", enrolment.person)
    if len(phrases) != settings.VOICE_ENROLMENT_PHRASE_COUNT:
        raise EnrolmentRefused(_("Record all three phrases."))
    outcome = voice_engine().enrol_voice(phrases)
    if not outcome.ok or not outcome.template:
        if outcome.phrase is None:
            raise EnrolmentRefused(_(outcome.message))
        raise EnrolmentRefused(_("Recording %(n)d: %(problem)s") % {"n": outcome.phrase, "problem": _(outcome.message)})
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().select_related("person").get(pk=enrolment.pk)
        before = locked.voice_status
        locked.voice_status = VoiceStatus.ENROLLED
        locked.voice_template_encrypted = encrypt_bytes(outcome.template)
        locked.voice_engine = outcome.engine
        locked.voice_model_version = outcome.model_version
        locked.voice_exempt_reason = ""
        locked.voice_changed_at = timezone.now()
        locked.save()
        audit_record(
            actor=actor,
            role=acting_role(actor, locked.person),
            action=AuditAction.CHECKIN_VOICE_ENROLLED,
            person=locked.person,
            target=locked,
            data={
                "before": before,
                "engine": outcome.engine,
                "model_version": outcome.model_version,
                "agreement": outcome.agreement,
                "speech_seconds": list(outcome.speech_seconds),
            },
        )
    return locked


def voice_exempt(*, actor: Any, enrolment: Enrolment, reason: str) -> Enrolment:
    """Enrol without a voice check because the person cannot speak or hear; the reason is kept."""
    require(actor, "checkin.enrol", enrolment.person)
    reason = reason.strip()
    if len(reason) < REASON_MIN_CHARS:
        raise ValidationError(_("Say why they cannot use the voice check."))
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().select_related("person").get(pk=enrolment.pk)
        before = locked.voice_status
        locked.voice_status = VoiceStatus.EXEMPT
        locked.voice_template_encrypted = None
        locked.voice_engine = ""
        locked.voice_model_version = ""
        locked.voice_exempt_reason = reason
        locked.voice_changed_at = timezone.now()
        locked.save()
        audit_record(
            actor=actor,
            role=acting_role(actor, locked.person),
            action=AuditAction.CHECKIN_VOICE_EXEMPTED,
            person=locked.person,
            target=locked,
            reason=reason,
            data={"before": before},
        )
    return locked


def extra_question_add(*, actor: Any, person: Person, text: str) -> ExtraQuestion:
    """A practitioner's own question for the person's next check-in; at most 3 wait at a time."""
    require(actor, "checkin.enrol", person)
    text = text.strip()
    if not text:
        raise ValidationError(_("Enter your question."))
    with transaction.atomic():
        Person.objects.select_for_update().get(pk=person.pk)  # two practitioners adding at once still stop at the limit
        waiting = ExtraQuestion.objects.filter(person=person, checkin__isnull=True).count()
        if waiting >= settings.CHECKIN_EXTRA_QUESTIONS_MAX:
            raise ValidationError(
                _("You can add up to %(n)d questions for the next check-in.")
                % {"n": settings.CHECKIN_EXTRA_QUESTIONS_MAX}
            )
        question = ExtraQuestion.objects.create(person=person, text=text, asked_by=actor)
        audit_record(
            actor=actor,
            role=acting_role(actor, person),
            action=AuditAction.CHECKIN_QUESTION_ADDED,
            person=person,
            target=question,
        )
    return question


# --- Creating, reminding and expiring (periodic jobs) ---------------------------------------------

# The system, as each job that acts on check-ins (the names of the periodic jobs and of the task).
CREATE_DUE_ACTOR = SystemActor("checkins_create_due")
EXPIRE_ACTOR = SystemActor("checkins_expire")
PROMPT_ACTOR = SystemActor("curfew_prompts_send")
VERIFY_ACTOR = SystemActor("verify_checkin_media")


def checkins_create_due(today: date | None = None) -> dict[str, int]:
    """Make today's check-ins for every active enrolment that is due, once each, and invite the people."""
    day = today or timezone.localdate()
    created = 0
    due = 0
    enrolments = Enrolment.objects.filter(active=True, template_encrypted__isnull=False, starts_on__lte=day)
    for enrolment in enrolments.select_related("person"):
        if not enrolment_due_on(enrolment, day) or not enrolment.person.offers.checkins:
            continue  # not due, or not where check-ins are done (in custody after a recall)
        due += 1
        _checkin, was_created = checkin_create(enrolment=enrolment, due_date=day)
        created += int(was_created)
    return {"due": due, "created": created}


def enrolment_due_on(enrolment: Enrolment, day: date) -> bool:
    if day < enrolment.starts_on:
        return False
    if enrolment.schedule == Schedule.WEEKDAYS:
        return day.weekday() in enrolment.weekday_numbers
    interval = SCHEDULE_INTERVAL_DAYS[Schedule(enrolment.schedule)]
    return (day - enrolment.starts_on).days % interval == 0


def checkin_create(*, enrolment: Enrolment, due_date: date) -> tuple[CheckIn, bool]:
    """The check-in for this due date, made once even when two schedulers run at the same moment."""
    questionnaire = questionnaire_current()
    now = timezone.now()
    try:
        with transaction.atomic():
            checkin, created = CheckIn.objects.get_or_create(
                person=enrolment.person,
                due_date=due_date,
                kind=CheckInKind.SCHEDULED,
                defaults={
                    "enrolment": enrolment,
                    "questionnaire": questionnaire,
                    "opens_at": now,
                    "closes_at": now + timedelta(hours=enrolment.window_hours),
                },
            )
            if created:
                ExtraQuestion.objects.filter(person=enrolment.person, checkin__isnull=True).update(checkin=checkin)
                audit_record(
                    actor=CREATE_DUE_ACTOR,
                    action=AuditAction.CHECKIN_CREATED,
                    person=enrolment.person,
                    target=checkin,
                    data={"due_date": due_date, "closes_at": checkin.closes_at},
                )
                with override(enrolment.person.preferred_language):  # written for the person, in their language
                    _person_tell(
                        checkin,
                        kind="invite",
                        subject=_("Time for your check-in"),
                        body=_("It is time for your check-in. Please do it before %(when)s: %(link)s"),
                    )
                # Reminders before the window ends: the notifications app plans and sends them.
                reminders_plan_for(CHECKIN_REMINDERS, [checkin], now=now)
    except IntegrityError:
        # The other scheduler's insert won between our look-up and our insert.
        return CheckIn.objects.get(person=enrolment.person, due_date=due_date, kind=CheckInKind.SCHEDULED), False
    return checkin, created


def checkin_prompt_open(*, enrolment: Enrolment, window_minutes: int, key: str) -> CheckIn:
    """A random check-in asked now (a curfew check): open for `window_minutes`, told by push and text at once.

    The same verification and review as a scheduled check-in; missed at the end of its window like one
    (`checkins_expire`, which alerts the practitioner). `key` names the prompt, so a retried job asks once.
    """
    now = timezone.now()
    with transaction.atomic():
        found = CheckIn.objects.filter(prompt_key=key[:100]).first()
        if found is not None:
            return found
        checkin = CheckIn.objects.create(
            person=enrolment.person,
            enrolment=enrolment,
            questionnaire=questionnaire_current(),
            kind=CheckInKind.CURFEW_PROMPT,
            due_date=timezone.localdate(now),
            opens_at=now,
            closes_at=now + timedelta(minutes=window_minutes),
            prompt_key=key[:100],
        )
        audit_record(
            actor=PROMPT_ACTOR,
            action=AuditAction.CHECKIN_CREATED,
            person=enrolment.person,
            target=checkin,
            data={"kind": checkin.kind, "closes_at": checkin.closes_at},
        )
        with override(enrolment.person.preferred_language):
            _person_prompt(
                checkin,
                subject=_("Curfew check-in now"),
                body=_("Please do a check-in now, before %(when)s: %(link)s"),
            )
    return checkin


def checkins_expire(now: datetime | None = None) -> dict[str, int]:
    """Mark check-ins missed at the end of their window and tell the practitioner."""
    at = now or timezone.now()
    ids = list(CheckIn.objects.filter(state=State.CREATED, closes_at__lte=at).values_list("pk", flat=True))
    expired = 0
    for checkin_id in ids:
        with transaction.atomic():
            moved = CheckIn.objects.filter(pk=checkin_id, state=State.CREATED).update(
                state=State.EXPIRED, state_changed_at=at, flagged=True, flag_reasons=[FlagReason.MISSED.value]
            )
            if not moved:
                continue
            checkin = CheckIn.objects.select_related("person").get(pk=checkin_id)
            audit_record(actor=EXPIRE_ACTOR, action=AuditAction.CHECKIN_EXPIRED, person=checkin.person, target=checkin)
            _practitioner_alert(checkin)
            expired += 1
    return {"expired": expired}


def checkin_media_retention(now: datetime | None = None) -> dict[str, int]:
    """Delete check-in media once its retention period has passed; audit each check-in's deletion.

    Reviewed check-ins follow the practitioner's decision (7 days for a match, 28 for no match, the
    case-record period for a match with concern). Check-ins that were never reviewed (cancelled,
    missed, or missed and closed) keep their media for CHECKIN_RETENTION_UNREVIEWED_DAYS after their
    last change, so a practitioner can still look at a half-finished upload when closing it.
    """
    at = now or timezone.now()
    periods = {
        ReviewDecision.NO_MATCH: settings.CHECKIN_RETENTION_NO_MATCH_DAYS,
        ReviewDecision.MATCH: settings.CHECKIN_RETENTION_MATCH_DAYS,
        ReviewDecision.MATCH_WITH_CONCERN: settings.CHECKIN_RETENTION_CONCERN_DAYS,
    }
    reviewed = Q()
    for decision, days in periods.items():
        reviewed |= Q(review__decision=decision, review__reviewed_at__lte=at - timedelta(days=days))
    unreviewed = Q(
        state__in=[State.CANCELLED, State.CLOSED, State.EXPIRED],
        state_changed_at__lte=at - timedelta(days=settings.CHECKIN_RETENTION_UNREVIEWED_DAYS),
    )
    # Evidence for an alert about the person raised around the check-in (a missed or flagged check-in, a
    # curfew or zone alert) is kept while the alert waits, and for a period after it closes.
    held = Alert.objects.filter(
        person_id=OuterRef("person_id"),
        created_at__gte=OuterRef("opens_at") - timedelta(days=1),
        created_at__lte=OuterRef("closes_at") + timedelta(days=1),
    ).filter(
        Q(state__in=WAITING_STATES) | Q(closed_at__gt=at - timedelta(days=settings.CHECKIN_RETENTION_AFTER_ALERT_DAYS))
    )
    checkins = (
        CheckIn.objects.filter((Q(state=State.REVIEWED) & reviewed) | unreviewed, media_deleted_at__isnull=True)
        .filter(Exists(CheckInMedia.objects.filter(checkin=OuterRef("pk"), deleted_at__isnull=True)))
        .exclude(Exists(held))
    )
    deleted_files = 0
    deleted_checkins = 0
    for checkin in checkins.select_related("person", "review"):
        deleted_files += _checkin_media_delete(checkin, at)
        deleted_checkins += 1
    return {"checkins": deleted_checkins, "files": deleted_files}


# --- The person's side ----------------------------------------------------------------------------


def checkin_answers_save(
    *, actor: Any, checkin: CheckIn, answers: dict[str, Any], comments: dict[str, str] | None = None
) -> list[Answer]:
    """Save the person's answers (again, if they change them) while the check-in is open."""
    require(actor, "checkin.respond", checkin)
    comments = comments or {}
    _open_check(checkin)
    questions = list(checkin.questionnaire.questions.all())
    extras = list(checkin.extra_questions.all())
    errors = {}
    for question in questions:
        value = answers.get(question.key)
        if question.required and value in (None, "", []):
            errors[question.key] = _("Answer this question.")
        elif value not in (None, "", []) and not _answer_valid(question.kind, question.choices, value):
            errors[question.key] = _("Choose one of the answers.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        saved = []
        for question in questions:
            value = answers.get(question.key)
            if value in (None, "", []):
                continue
            answer, _created = Answer.objects.update_or_create(
                checkin=checkin,
                question=question,
                defaults={
                    "value": value,
                    "comment": comments.get(question.key, "")[:2000],
                    "flagged": question.flags(value),
                },
            )
            saved.append(answer)
        for extra in extras:
            value = str(answers.get(f"extra-{extra.pk}", "")).strip()[:2000]
            if value:
                answer, _created = Answer.objects.update_or_create(
                    checkin=checkin, extra_question=extra, defaults={"value": value}
                )
                saved.append(answer)
        audit_record(
            actor=actor,
            role="person",
            action=AuditAction.CHECKIN_ANSWERED,
            person=checkin.person,
            target=checkin,
            data={"answers": len(saved), "flagged": sum(a.flagged for a in saved)},
        )
    return saved


def checkin_challenge_issue(*, actor: Any, checkin: CheckIn) -> Any:
    """A new liveness challenge (biometrics.liveness.Challenge) for the next clip, kept on the server.

    The clip is judged against the challenge we issued (`checkin_challenge_issued`), never one the
    caller sends: the caller sends only its nonce. Kept in the cache until it expires (or the window
    closes), so a phone with a device token and a browser session share it. A new one replaces the last.
    """
    require(actor, "checkin.respond", checkin)
    _open_check(checkin)
    challenge = liveness_engine().challenge_new()
    seconds_left = (checkin.closes_at - timezone.now()).total_seconds()
    keep = min(settings.LIVENESS_CHALLENGE_SECONDS + settings.LIVENESS_UPLOAD_GRACE_SECONDS, seconds_left)
    cache.set(CHALLENGE_CACHE_KEY.format(checkin_id=checkin.pk), challenge.to_dict(), timeout=max(int(keep), 1))
    audit_record(
        actor=actor,
        role="person",
        action=AuditAction.CHECKIN_CHALLENGE_ISSUED,
        person=checkin.person,
        target=checkin,
        data={"nonce": challenge.nonce, "moves": [step.move for step in challenge.steps]},
    )
    return challenge


def checkin_media_add(
    *,
    actor: Any,
    checkin: CheckIn,
    data: bytes,
    challenge_nonce: str = "",
    recorded_at: datetime | None = None,
) -> CheckInMedia:
    """Take one photo or video for the face step (up to CHECKIN_FACE_ATTEMPTS_MAX) and queue its check.

    A video must carry the nonce of the challenge last issued for this check-in and arrive while it is
    valid: not sooner after issue than the challenge takes to perform (it cannot have been recorded
    after the challenge was issued), not later than LIVENESS_UPLOAD_GRACE_SECONDS after it expired.
    recorded_at is the phone's word for when recording started, refused outside the same window.
    Each challenge takes one clip. An upload with the same bytes as any earlier one is marked.
    """
    require(actor, "checkin.respond", checkin)
    if not data:
        raise MediaRefused(_("The file was empty. Try again."))
    content_type = media_type_sniff(data)
    if content_type not in PHOTO_TYPES | VIDEO_TYPES:
        raise MediaRefused(_("We could not read this file. Send a photo (JPEG or PNG) or a video (WebM or MP4)."))
    is_video = content_type in VIDEO_TYPES
    limit = settings.CHECKIN_VIDEO_MAX_BYTES if is_video else settings.CHECKIN_PHOTO_MAX_BYTES
    if len(data) > limit:
        raise MediaRefused(_("The file is too large. Record a shorter video or take the photo again."))
    problem = biometrics().media_problem(data, is_video=is_video)
    if problem:  # a broken file is refused here, before it uses one of the person's tries
        raise MediaRefused(_(biometrics().CHECKIN_MESSAGES[problem]))
    challenge = _challenge_for_clip(checkin, challenge_nonce, recorded_at) if is_video else None
    sha256 = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        locked = CheckIn.objects.select_for_update().get(pk=checkin.pk)
        _open_check(locked)
        if locked.face_attempts >= settings.CHECKIN_FACE_ATTEMPTS_MAX:
            raise MediaRefused(_("You have used all your tries. You can send your check-in without a face match."))
        if challenge is not None and not cache.delete(CHALLENGE_CACHE_KEY.format(checkin_id=checkin.pk)):
            raise MediaRefused(_("This video was already sent. Press Start to record a new one."))
        locked.face_attempts += 1
        locked.save(update_fields=["face_attempts"])
        media = CheckInMedia(
            checkin=locked,
            kind=MediaKind.VIDEO if is_video else MediaKind.PHOTO,
            content_type=content_type,
            size_bytes=len(data),
            sha256=sha256,
            attempt=locked.face_attempts,
            challenge_data=challenge.to_dict() if challenge else {},
            challenge_nonce=challenge.nonce if challenge else "",
            recorded_at=recorded_at if challenge else None,
            seen_before=CheckInMedia.objects.filter(sha256=sha256, kind__in=[MediaKind.PHOTO, MediaKind.VIDEO])
            .order_by("uploaded_at")
            .first(),
        )
        media.file.save("upload", ContentFile(data), save=False)
        media.save()
        verification = Verification.objects.create(media=media, checkin=locked)
        audit_record(
            actor=actor,
            role="person",
            action=AuditAction.CHECKIN_MEDIA_ADDED,
            person=locked.person,
            target=media,
            data={
                "kind": media.kind,
                "bytes": len(data),
                "attempt": media.attempt,
                "nonce": media.challenge_nonce,
                "seen_before": media.seen_before_id,
            },
        )
        transaction.on_commit(lambda: _verification_enqueue(verification.pk))
    checkin.face_attempts = locked.face_attempts
    return media


def _challenge_for_clip(checkin: CheckIn, nonce: str, recorded_at: datetime | None) -> Any:
    """The issued challenge this clip was recorded for, or MediaRefused in plain words."""
    issued = checkin_challenge_issued(checkin)
    if issued is None or not nonce or not secrets.compare_digest(nonce, issued.nonce):
        raise MediaRefused(_("This video was not made for the moves we asked. Press Start to try again."))
    now = timezone.now()
    performed = timedelta(milliseconds=issued.duration_ms)
    grace = timedelta(seconds=settings.LIVENESS_UPLOAD_GRACE_SECONDS)
    skew = timedelta(seconds=settings.LIVENESS_CLOCK_SKEW_SECONDS)
    if now > issued.expires_at + grace or (recorded_at is not None and recorded_at > issued.expires_at + skew):
        raise MediaRefused(_("The time for this video ran out. Press Start to try again."))
    # The server's own clock: a clip cannot arrive sooner than the moves take (a second's slack).
    too_soon = now < issued.issued_at + performed - timedelta(seconds=1)
    if too_soon or (recorded_at is not None and recorded_at < issued.issued_at - skew):
        raise MediaRefused(_("This video was recorded before we asked for the moves. Press Start to try again."))
    return issued


def checkin_location_save(
    *, actor: Any, checkin: CheckIn, latitude: float, longitude: float, accuracy_m: float, consent: bool
) -> CheckIn:
    """Keep the phone's position (with the person's consent) and how it compares with their address."""
    require(actor, "checkin.respond", checkin)
    if not consent:
        raise ValidationError(_("Tick the box to say you agree to share your location."))
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180) or accuracy_m < 0:
        raise ValidationError(_("Your phone sent a position we could not read. Try again."))
    person = checkin.person
    result = address_check(Fix(latitude, longitude, accuracy_m), person.address_latitude, person.address_longitude)
    with transaction.atomic():
        locked = CheckIn.objects.select_for_update().get(pk=checkin.pk)
        _open_check(locked)
        locked.location_consent = True
        locked.latitude, locked.longitude, locked.accuracy_m = latitude, longitude, accuracy_m
        locked.location_verdict = result.verdict
        locked.location_line = result.line
        locked.save(
            update_fields=[
                "location_consent",
                "latitude",
                "longitude",
                "accuracy_m",
                "location_verdict",
                "location_line",
            ]
        )
        audit_record(
            actor=actor,
            role="person",
            action=AuditAction.CHECKIN_LOCATION_SHARED,
            person=person,
            target=locked,
            data={"verdict": result.verdict, "accuracy_m": accuracy_m},
        )
        announce(
            CheckinLocationShared(
                person=person,
                actor=actor,
                checkin_id=locked.pk,
                kind=locked.kind,
                recorded_at=timezone.now(),
                latitude=latitude,
                longitude=longitude,
                accuracy_m=accuracy_m,
            )
        )
    return locked


def checkin_submit(*, actor: Any, checkin: CheckIn, idempotency_key: str) -> CheckIn:
    """Send the check-in. The same key again (a retry after a lost connection) returns the first submission."""
    require(actor, "checkin.respond", checkin)
    key = (idempotency_key or "").strip()
    if not key or len(key) > IDEMPOTENCY_KEY_MAX_CHARS:
        raise ValidationError(_("Something went wrong sending your check-in. Reload the page and try again."))
    with transaction.atomic():
        locked = (
            CheckIn.objects.select_for_update(of=("self",)).select_related("person", "questionnaire").get(pk=checkin.pk)
        )
        if locked.submission_key == key:
            return locked
        if locked.state != State.CREATED:
            raise ValidationError(_("This check-in has already been sent."))
        _open_check(locked)
        required = set(locked.questionnaire.questions.filter(required=True).values_list("pk", flat=True))
        answered = set(locked.answers.filter(question__isnull=False).values_list("question_id", flat=True))
        if not required <= answered:
            raise ValidationError(_("Answer the questions before you send your check-in."))
        _transition(locked, State.SUBMITTED)
        locked.submission_key = key
        locked.submitted_at = timezone.now()
        locked.submitted_anyway = locked.face_decision != FaceDecision.MATCH
        _flags_refresh(locked)
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError as error:
            raise ValidationError(
                _("Something went wrong sending your check-in. Reload the page and try again.")
            ) from error
        audit_record(
            actor=actor,
            role="person",
            action=AuditAction.CHECKIN_SUBMITTED,
            person=locked.person,
            target=locked,
            data={"flagged": locked.flagged, "flags": locked.flag_reasons, "submitted_anyway": locked.submitted_anyway},
        )
        _flagged_alert(locked)
    return locked


# --- The verification job -----------------------------------------------------------------------


def verification_run(verification_id: int) -> dict[str, Any]:
    """Compare one photo or video with the enrolled face; keep the result and refresh the flags."""
    verification = Verification.objects.select_related("media", "checkin__enrolment", "checkin__person").get(
        pk=verification_id
    )
    if verification.status != VerificationStatus.PENDING or not _verification_claim(verification_id):
        return {"skipped": True}
    media = verification.media
    checkin = verification.checkin
    enrolment = checkin.enrolment
    try:
        if not enrolment.template_encrypted:
            raise ValueError("The person has no enrolled face template.")
        template = decrypt_bytes(bytes(enrolment.template_encrypted))
        with media.file.open("rb") as handle:
            data = handle.read()
        engine = biometrics()
        if media.kind == MediaKind.VIDEO:
            challenge = liveness_engine().Challenge.from_dict(media.challenge_data)
            result = engine.verify_video(template, data, challenge, enrolment.engine)
        else:
            result = engine.verify_photo(template, data, enrolment.engine)
        fingerprint = engine.perceptual_hash(data, is_video=media.kind == MediaKind.VIDEO)
        heard = _voice_check(enrolment, media, data)
    except Exception as error:
        logger.exception("Verification %s failed", verification_id)
        with transaction.atomic():
            Verification.objects.filter(pk=verification_id).update(
                status=VerificationStatus.FAILED,
                error=f"{type(error).__name__}: {error}"[:2000],
                message=_("We could not check your photo. You can try again or send your check-in."),
                finished_at=timezone.now(),
            )
            locked = CheckIn.objects.select_for_update().get(pk=checkin.pk)
            if locked.state == State.SUBMITTED:
                _flags_refresh(locked)
                locked.save(update_fields=["flagged", "flag_reasons"])
                _flagged_alert(locked)
            audit_record(
                actor=VERIFY_ACTOR,
                action=AuditAction.CHECKIN_VERIFICATION_FAILED,
                person=checkin.person,
                target=verification,
            )
        return {"failed": True}
    frames = []
    for index, frame in enumerate(result.best_frames_jpeg):
        item = CheckInMedia(
            checkin=checkin,
            kind=MediaKind.FRAME,
            source=media,
            content_type="image/jpeg",
            size_bytes=len(frame),
            sha256=hashlib.sha256(frame).hexdigest(),
            attempt=media.attempt,
        )
        item.file.save(f"frame-{index}", ContentFile(frame), save=False)
        frames.append(item)
    face = result.face
    liveness = result.liveness
    with transaction.atomic():
        for item in frames:
            item.save()
        verification.status = VerificationStatus.DONE
        verification.distance = face.distance
        verification.decision = face.decision
        verification.engine = face.engine
        verification.model_version = face.model_version
        verification.frames_with_face = face.frames_with_face
        verification.frames_checked = face.frames_checked
        verification.liveness_checked = liveness is not None
        if liveness is not None:
            verification.liveness_passed = liveness.passed
            verification.liveness_reason = liveness.reason_code[:50]
            verification.liveness_message = liveness.message[:300]
            verification.liveness_details = liveness.details()
            verification.liveness_engine = liveness.engine[:100]
            verification.liveness_model_version = liveness.model_version[:200]
        verification.media_problem = (result.media_problem or "")[:50]
        verification.message = (result.message or "")[:300]
        verification.timings_ms = dict(result.timings_ms)
        verification.finished_at = timezone.now()
        locked = CheckIn.objects.select_for_update().get(pk=checkin.pk)
        _fingerprint_save(media, fingerprint)
        verification.location_line = locked.location_line
        _voice_apply(verification, heard)
        verification.save()
        _face_best_apply(locked)
        if locked.state == State.SUBMITTED:
            _flags_refresh(locked)
        locked.save(update_fields=["face_decision", "face_distance", "liveness_passed", "flagged", "flag_reasons"])
        _flagged_alert(locked)
        audit_record(
            actor=VERIFY_ACTOR,
            action=AuditAction.CHECKIN_VERIFIED,
            person=checkin.person,
            target=verification,
            data={
                "decision": face.decision,
                "distance": face.distance,
                "liveness": None if liveness is None else liveness.passed,
                "engine": face.engine,
                "model_version": face.model_version,
                "voice": verification.voice_decision,
            },
        )
    return {"decision": face.decision, "distance": face.distance}


# --- Suitability: the screen, its approval and the gate ------------------------------------------


def checkin_mode_refusal(person: Person, office_visits: str) -> str | None:
    """Why check-ins may not run for this person in this mode (supplementing or replacing office visits),
    in words that tell staff what to do next; None when they may. The newest screen decides."""
    return mode_refusal_under(suitability_screen_current(person), office_visits)


def mode_refusal_under(screen: SuitabilityScreen | None, office_visits: str) -> str | None:
    """checkin_mode_refusal for a person whose newest screen is `screen` (None: never screened).

    Without a screen, check-ins may only supplement face-to-face contact; they replace it only under an
    approved "suitable" screen; "not suitable" allows neither."""
    if screen is not None and screen.outcome == Suitability.NOT_SUITABLE:
        return _(
            "Remote check-ins are not suitable for this person: their latest suitability screen says so. "
            "Keep to face-to-face contact, or record a new screen if their circumstances have changed."
        )
    if office_visits != OfficeVisits.REPLACES:
        return None
    if screen is None:
        return _(
            "Check-ins can only replace office visits after a suitability screen approved by a senior "
            "practitioner. Record a screen first, or choose “Supplements office visits”."
        )
    if OfficeVisits.REPLACES not in MODES_ALLOWED[screen.outcome]:
        return _(
            "Their suitability screen says check-ins can only be used alongside face-to-face contact. "
            "Choose “Supplements office visits”."
        )
    if not screen.approved:
        return _(
            "Their suitability screen is waiting for a senior practitioner to approve it. Ask a senior "
            "practitioner to approve it, or choose “Supplements office visits” for now."
        )
    return None


def checkin_modes_allowed(person: Person) -> list[str]:
    """The modes the gate allows now, for pages and the API."""
    return modes_allowed_under(suitability_screen_current(person))


def modes_allowed_under(screen: SuitabilityScreen | None) -> list[str]:
    return [mode for mode in OfficeVisits.values if mode_refusal_under(screen, mode) is None]


def suitability_screen_record(
    *, actor: Any, person: Person, answers: ScreenAnswers, rationale: str
) -> SuitabilityScreen:
    """Record a new screen: it replaces the latest one for the gate at once, before anyone approves it.

    Check-ins that the new screen does not allow change in the same transaction: a "replaces" enrolment
    goes back to supplementing office visits (until a senior approves a "suitable" screen), and
    check-ins stop when the screen says they are not suitable. Each change is audited."""
    require(actor, "checkin.suitability_screen", person)
    rationale = rationale.strip()
    errors: dict[str, str] = {}
    if len(rationale) < REASON_MIN_CHARS:
        errors["rationale"] = _("Say why you gave these answers.")
    elif len(rationale) > RATIONALE_MAX_CHARS:
        errors["rationale"] = _("Keep the rationale to 5,000 characters or fewer.")
    try:
        result = suitability_outcome(answers)
    except ValueError:
        errors["mappa_level"] = _("Choose their MAPPA level, or that they are not managed under MAPPA.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        previous = suitability_screen_current(person)
        screen = SuitabilityScreen.objects.create(
            person=person,
            very_high_rosh=answers.very_high_rosh,
            mappa_level=answers.mappa_level,
            domestic_abuse=answers.domestic_abuse,
            sexual_offending=answers.sexual_offending,
            youth_case=answers.youth_case,
            child_protection=answers.child_protection,
            rationale=rationale,
            outcome=result.outcome,
            reasons=list(result.reasons),
            rules_version=RULES_VERSION,
            screened_by=actor,
        )
        audit_record(
            actor=actor,
            role=acting_role(actor, person),
            action=AuditAction.CHECKIN_SUITABILITY_SCREENED,
            person=person,
            target=screen,
            reason=rationale,
            data={
                "outcome": result.outcome,
                "reasons": list(result.reasons),
                "rules_version": RULES_VERSION,
                "replaces_screen": previous.pk if previous else None,
            },
        )
        _enrolment_limit(actor=actor, person=person, screen=screen)
    return screen


def suitability_screen_approve(*, actor: Any, screen: SuitabilityScreen, rationale: str) -> SuitabilityScreen:
    """A senior practitioner approves the newest screen, with their rationale. Not the one who made it."""
    require(actor, "checkin.suitability_approve", screen.person)
    rationale = rationale.strip()
    if len(rationale) < REASON_MIN_CHARS:
        raise ValidationError({"rationale": _("Say why you approve this screen.")})
    if len(rationale) > RATIONALE_MAX_CHARS:
        raise ValidationError({"rationale": _("Keep the rationale to 5,000 characters or fewer.")})
    with transaction.atomic():
        locked = SuitabilityScreen.objects.select_for_update(of=("self",)).select_related("person").get(pk=screen.pk)
        if locked.screened_by_id is not None and locked.screened_by_id == getattr(actor, "pk", None):
            raise ValidationError(
                _("You made this screen, so you cannot approve it. Ask another senior practitioner to approve it.")
            )
        current = suitability_screen_current(locked.person)
        if current is None or current.pk != locked.pk:
            raise ValidationError(_("A newer screen has replaced this one. Approve the newest screen instead."))
        if locked.approved:
            raise ValidationError(_("This screen is already approved."))
        locked.approved_by = actor
        locked.approved_at = timezone.now()
        locked.approval_rationale = rationale
        locked.save(update_fields=["approved_by", "approved_at", "approval_rationale"])
        audit_record(
            actor=actor,
            role=acting_role(actor, locked.person),
            action=AuditAction.CHECKIN_SUITABILITY_APPROVED,
            person=locked.person,
            target=locked,
            reason=rationale,
            data={"outcome": locked.outcome, "screened_by": locked.screened_by_id},
        )
    return locked


def enrolment_mode_change(*, actor: Any, enrolment: Enrolment, office_visits: str, reason: str) -> Enrolment:
    """Change only whether check-ins supplement or replace office visits (the API's way; the page saves
    the whole set-up with enrolment_save). The gate applies the same way."""
    require(actor, "checkin.enrol", enrolment.person)
    errors: dict[str, str] = {}
    if office_visits not in OfficeVisits.values:
        errors["office_visits"] = _("Say whether check-ins replace or supplement office visits.")
    if len(reason.strip()) < REASON_MIN_CHARS:
        errors["reason"] = _("Give a reason.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update(of=("self",)).select_related("person").get(pk=enrolment.pk)
        _mode_check(locked.person, office_visits)
        before = _enrolment_snapshot(locked)
        if locked.office_visits == office_visits and locked.office_visits_reason == reason.strip():
            return locked
        locked.office_visits = office_visits
        locked.office_visits_reason = reason.strip()
        locked.save(update_fields=["office_visits", "office_visits_reason"])
        audit_record(
            actor=actor,
            role=acting_role(actor, locked.person),
            action=AuditAction.CHECKIN_ENROLMENT_CHANGED,
            person=locked.person,
            target=locked,
            reason=locked.office_visits_reason,
            data={"before": before, "after": _enrolment_snapshot(locked)},
        )
    return locked


def _mode_check(person: Person, office_visits: str) -> None:
    refusal = checkin_mode_refusal(person, office_visits)
    if refusal is not None:
        raise ValidationError({"office_visits": refusal})


def _enrolment_limit(*, actor: Any, person: Person, screen: SuitabilityScreen) -> None:
    """Bring a running enrolment within what the new screen allows (see suitability_screen_record)."""
    enrolment = Enrolment.objects.select_for_update(of=("self",)).filter(person=person).first()
    if enrolment is None:
        return
    before = {**_enrolment_snapshot(enrolment), "active": enrolment.active}
    now = timezone.now()
    with override(settings.LANGUAGE_CODE):
        if screen.outcome == Suitability.NOT_SUITABLE and enrolment.active:
            enrolment.active = False
            enrolment.status_reason = _("Stopped: a suitability screen says remote check-ins are not suitable.")
            enrolment.status_changed_at = now
        elif enrolment.office_visits == OfficeVisits.REPLACES:
            enrolment.office_visits = OfficeVisits.SUPPLEMENTS
            enrolment.office_visits_reason = _(
                "Changed to supplement office visits: a new suitability screen needs a senior practitioner's "
                "approval before check-ins replace them. Before: %(reason)s"
            ) % {"reason": enrolment.office_visits_reason}
        else:
            return
    enrolment.save(
        update_fields=["active", "status_reason", "status_changed_at", "office_visits", "office_visits_reason"]
    )
    audit_record(
        actor=actor,
        role=acting_role(actor, person),
        action=AuditAction.CHECKIN_SUITABILITY_LIMITED,
        person=person,
        target=enrolment,
        reason=enrolment.status_reason if not enrolment.active else enrolment.office_visits_reason,
        data={
            "before": before,
            "after": {**_enrolment_snapshot(enrolment), "active": enrolment.active},
            "screen": screen.pk,
        },
    )


# --- Staff decisions ----------------------------------------------------------------------------


def checkin_review_record(
    *,
    actor: Any,
    checkin: CheckIn,
    decision: str,
    notes: str = "",
    sensitive: bool = False,
    helped_manage_risk: str = "",
) -> Review:
    """The practitioner's decision on a submitted check-in. It is theirs; the scores only inform it.

    With it (or later, review_follow_up_record) they may mark it sensitive and say whether it helped manage risk."""
    require(actor, "checkin.review", checkin)
    if decision not in ReviewDecision.values:
        raise ValidationError(_("Choose match, no match, or match with a concern."))
    if decision != ReviewDecision.MATCH and not notes.strip():
        raise ValidationError(_("Add a note to say why."))
    if helped_manage_risk and helped_manage_risk not in HelpedManageRisk.values:
        raise ValidationError(_("Say whether the check-in helped manage risk: yes, no or not sure."))
    with transaction.atomic():
        locked = CheckIn.objects.select_for_update(of=("self",)).select_related("person").get(pk=checkin.pk)
        _transition(locked, State.REVIEWED)
        locked.save()
        review = Review.objects.create(
            checkin=locked,
            decision=decision,
            notes=notes.strip(),
            reviewer=actor,
            sensitive=sensitive,
            helped_manage_risk=helped_manage_risk,
        )
        audit_record(
            actor=actor,
            role=acting_role(actor, locked.person),
            action=AuditAction.CHECKIN_REVIEWED,
            person=locked.person,
            target=locked,
            reason=notes.strip(),
            data={
                "decision": decision,
                "automated": locked.face_decision,
                "distance": locked.face_distance,
                "sensitive": sensitive,
                "helped_manage_risk": helped_manage_risk,
            },
        )
    return review


def review_follow_up_record(*, actor: Any, review: Review, sensitive: bool, helped_manage_risk: str) -> Review:
    """After the review: mark the check-in's information sensitive (left out of the person's own export)
    or not, and say whether the check-in helped manage risk (yes, no, not sure). Nothing changed, nothing written."""
    require(actor, "checkin.review", review.checkin)
    if helped_manage_risk not in HelpedManageRisk.values:
        raise ValidationError(
            {"helped_manage_risk": _("Say whether the check-in helped manage risk: yes, no or not sure.")}
        )
    with transaction.atomic():
        locked = Review.objects.select_for_update(of=("self",)).select_related("checkin__person").get(pk=review.pk)
        before = {"sensitive": locked.sensitive, "helped_manage_risk": locked.helped_manage_risk}
        after = {"sensitive": sensitive, "helped_manage_risk": helped_manage_risk}
        if before == after:
            return locked
        locked.sensitive = sensitive
        locked.helped_manage_risk = helped_manage_risk
        locked.follow_up_by = actor
        locked.follow_up_at = timezone.now()
        locked.save(update_fields=["sensitive", "helped_manage_risk", "follow_up_by", "follow_up_at"])
        audit_record(
            actor=actor,
            role=acting_role(actor, locked.checkin.person),
            action=AuditAction.CHECKIN_REVIEW_FOLLOW_UP,
            person=locked.checkin.person,
            target=locked.checkin,
            data={"before": before, "after": after},
        )
    return locked


def checkin_close_missed(*, actor: Any, checkin: CheckIn, reason: str) -> CheckIn:
    """Close a missed check-in. Only with a reason: a miss is never closed silently."""
    require(actor, "checkin.review", checkin)
    return _staff_transition(
        actor=actor, checkin=checkin, to=State.CLOSED, reason=reason, action=AuditAction.CHECKIN_MISSED_CLOSED
    )


def checkin_cancel(*, actor: Any, checkin: CheckIn, reason: str) -> CheckIn:
    require(actor, "checkin.review", checkin)
    return _staff_transition(
        actor=actor, checkin=checkin, to=State.CANCELLED, reason=reason, action=AuditAction.CHECKIN_CANCELLED
    )


# --- Helpers ------------------------------------------------------------------------------------


def liveness_engine() -> ModuleType:
    """The liveness module: challenges and their checks (imported late, like the face engines)."""
    from onward.biometrics import liveness

    return liveness


def _fingerprint_save(media: CheckInMedia, fingerprint: str) -> None:
    """Keep the media's perceptual hash, and mark it if an earlier upload in any check-in looks the same."""
    if not fingerprint:
        return
    value = int(fingerprint, 16)
    bands = [(band, (value >> (16 * band)) & 0xFFFF) for band in range(4)]
    match = Q()
    for band, part in bands:
        match |= Q(band=band, value=part)
    candidates = (
        CheckInMedia.objects.filter(pk__in=MediaFingerprint.objects.filter(match).values("media_id"))
        .exclude(pk=media.pk)
        .exclude(perceptual_hash="")
        .order_by("uploaded_at")
        .values_list("pk", "perceptual_hash")
    )
    near = [
        pk
        for pk, other in candidates
        if bin(value ^ int(other, 16)).count("1") <= settings.CHECKIN_MEDIA_SIMILAR_MAX_BITS
    ]
    media.perceptual_hash = fingerprint
    fields = ["perceptual_hash"]
    if media.seen_before_id is None and near:
        media.seen_before_id = near[0]
        fields.append("seen_before")
    media.save(update_fields=fields)
    MediaFingerprint.objects.bulk_create([MediaFingerprint(media=media, band=b, value=v) for b, v in bands])


def voice_engine() -> ModuleType:
    """The voice API module (imported late: the speaker encoder loads its weights)."""
    from onward.biometrics import voice

    return voice


def _voice_check(enrolment: Enrolment, media: CheckInMedia, data: bytes) -> Any:
    """The clip's sound track against the enrolled voice, or None where there is no voice to check.

    A failure of the voice engine is logged and leaves the voice unchecked; the face result stands.
    """
    if media.kind != MediaKind.VIDEO or enrolment.voice_status != VoiceStatus.ENROLLED:
        return None
    if not enrolment.voice_template_encrypted:
        return None
    try:
        template = decrypt_bytes(bytes(enrolment.voice_template_encrypted))
        digits = str((media.challenge_data or {}).get("digits", ""))  # the number shown with the challenge
        return voice_engine().verify_voice(template, data, enrolment.voice_engine, expected_digits=digits)
    except Exception:
        logger.exception("Voice check of media %s failed", media.pk)
        return None


def _voice_apply(verification: Verification, heard: Any) -> None:
    if heard is None:
        return
    verification.voice_checked = True
    verification.voice_decision = heard.decision
    verification.voice_similarity = heard.similarity
    verification.voice_reason = heard.reason_code[:50]
    verification.voice_message = heard.message[:300]
    verification.voice_speech_seconds = heard.speech_seconds
    verification.voice_engine = heard.engine
    verification.voice_model_version = heard.model_version[:200]
    verification.voice_details = heard.details()
    verification.timings_ms = {**verification.timings_ms, **{f"voice_{k}": v for k, v in heard.timings_ms.items()}}


def biometrics() -> ModuleType:
    """The biometrics API module (imported late: the face engines are heavy to load)."""
    from onward.biometrics import api

    return api


def media_type_sniff(data: bytes) -> str:
    """The content type by the file's own first bytes, never by its name or the browser's word."""
    if data.startswith(JPEG_MAGIC):
        return "image/jpeg"
    if data.startswith(PNG_MAGIC):
        return "image/png"
    if data.startswith(WEBM_MAGIC):
        return "video/webm"
    if data[MP4_BRAND_OFFSET : MP4_BRAND_OFFSET + len(MP4_BRAND)] == MP4_BRAND:
        return "video/mp4"
    return ""


def questionnaire_current() -> Questionnaire:
    questionnaire = Questionnaire.objects.filter(active=True).first()
    if questionnaire is None:
        raise LookupError("No active check-in questionnaire: the data migration seeds one.")
    return questionnaire


def _transition(checkin: CheckIn, to: str, reason: str = "") -> None:
    """Move a check-in along the table in models.py; refuse anything else."""
    if not checkin.can_move_to(to):
        raise ValidationError(
            _("A check-in that is “%(state)s” cannot be moved to “%(to)s”.")
            % {"state": checkin.get_state_display(), "to": State(to).label}
        )
    if to in REASON_REQUIRED and len(reason.strip()) < REASON_MIN_CHARS:
        raise ValidationError(_("Give a reason."))
    checkin.state = to
    checkin.state_reason = reason.strip()
    checkin.state_changed_at = timezone.now()


def _staff_transition(*, actor: Any, checkin: CheckIn, to: str, reason: str, action: AuditAction) -> CheckIn:
    with transaction.atomic():
        locked = CheckIn.objects.select_for_update(of=("self",)).select_related("person").get(pk=checkin.pk)
        before = locked.state
        _transition(locked, to, reason)
        locked.save()
        audit_record(
            actor=actor,
            role=acting_role(actor, locked.person),
            action=action,
            person=locked.person,
            target=locked,
            reason=reason.strip(),
            data={"before": before, "after": to},
        )
    return locked


def _enrolment_active_set(*, actor: Any, enrolment: Enrolment, active: bool, reason: str) -> Enrolment:
    require(actor, "checkin.enrol", enrolment.person)
    if len(reason.strip()) < REASON_MIN_CHARS:
        raise ValidationError(_("Give a reason."))
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update(of=("self",)).select_related("person").get(pk=enrolment.pk)
        if locked.active == active:
            raise ValidationError(
                _("Check-ins are already running.") if active else _("Check-ins are already stopped.")
            )
        if active:
            _mode_check(locked.person, locked.office_visits)
        locked.active = active
        locked.status_reason = reason.strip()
        locked.status_changed_at = timezone.now()
        locked.save(update_fields=["active", "status_reason", "status_changed_at"])
        audit_record(
            actor=actor,
            role=acting_role(actor, locked.person),
            action=AuditAction.CHECKIN_RESTARTED if active else AuditAction.CHECKIN_STOPPED,
            person=locked.person,
            target=locked,
            reason=reason.strip(),
        )
    return locked


def _details_check(details: EnrolmentDetails) -> None:
    errors: dict[str, str] = {}
    if details.schedule not in Schedule.values:
        errors["schedule"] = _("Choose how often they check in.")
    if details.schedule == Schedule.WEEKDAYS and not [d for d in details.weekdays if 0 <= d <= 6]:
        errors["weekdays"] = _("Choose at least one day.")
    hours = details.window_hours or settings.CHECKIN_WINDOW_HOURS
    if not 1 <= hours <= 14 * 24:
        errors["window_hours"] = _("The window must be between 1 and 336 hours.")
    if details.contact_preference not in ContactPreference.values:
        errors["contact_preference"] = _("Choose how we contact them.")
    if details.office_visits not in OfficeVisits.values:
        errors["office_visits"] = _("Say whether check-ins replace or supplement office visits.")
    if len(details.office_visits_reason.strip()) < REASON_MIN_CHARS:
        errors["office_visits_reason"] = _("Give a reason.")
    if errors:
        raise ValidationError(errors)


def _enrolment_snapshot(enrolment: Enrolment) -> dict[str, Any]:
    return {
        "schedule": enrolment.schedule,
        "weekdays": enrolment.weekdays,
        "window_hours": enrolment.window_hours,
        "contact_preference": enrolment.contact_preference,
        "office_visits": enrolment.office_visits,
    }


def _open_check(checkin: CheckIn) -> None:
    if checkin.state != State.CREATED:
        raise ValidationError(_("This check-in has already been sent or has closed."))
    if not checkin.opens_at <= timezone.now() < checkin.closes_at:
        raise ValidationError(_("The time for this check-in has passed."))


def _answer_valid(kind: str, choices: list[dict[str, str]], value: Any) -> bool:
    allowed = {c["value"] for c in choices}
    if kind == QuestionKind.ONE_CHOICE or kind == QuestionKind.YES_NO:
        return isinstance(value, str) and value in allowed
    if kind == QuestionKind.MANY_CHOICES:
        return isinstance(value, list) and bool(value) and all(v in allowed for v in value)
    return isinstance(value, str) and len(value) <= 2000


def _face_best_apply(checkin: CheckIn) -> None:
    done = list(checkin.verifications.filter(status=VerificationStatus.DONE))
    if not done:
        return
    best = min(
        done, key=lambda v: (FACE_DECISION_RANK.get(v.decision, 9), v.distance if v.distance is not None else 9.0)
    )
    checkin.face_decision = best.decision
    checkin.face_distance = best.distance
    checkin.liveness_passed = best.liveness_passed if best.liveness_checked else None


def _flags_refresh(checkin: CheckIn) -> None:
    """Why this check-in needs a person's eyes (empty when it does not), as `FlagReason` codes."""
    reasons: list[str] = []
    for answer in checkin.answers.filter(flagged=True, question__isnull=False).select_related("question"):
        code = answer.question.flag_reason if answer.question else ""
        reasons.append(code if code in FlagReason.values else FlagReason.ANSWER)
    pending = checkin.verifications.filter(status=VerificationStatus.PENDING).exists()
    if not checkin.face_decision:
        reasons.append(FlagReason.FACE_PENDING if pending else FlagReason.FACE_MISSING)
    elif checkin.face_decision != FaceDecision.MATCH:
        reasons.append(FACE_FLAGS[FaceDecision(checkin.face_decision)])
    if checkin.face_decision and checkin.liveness_passed is None:
        reasons.append(FlagReason.LIVENESS_MISSING)
    elif checkin.liveness_passed is False:
        reasons.append(FlagReason.LIVENESS_FAILED)
    if not checkin.location_verdict:
        reasons.append(FlagReason.LOCATION_MISSING)
    elif checkin.location_verdict != LocationVerdict.AT_ADDRESS:
        reasons.append(LOCATION_FLAGS[LocationVerdict(checkin.location_verdict)])
    reasons.extend(_voice_flags(checkin))
    if checkin.media.filter(seen_before__isnull=False).exists():
        reasons.append(FlagReason.MEDIA_SEEN_BEFORE)
    checkin.flag_reasons = [str(reason) for reason in reasons]
    checkin.flagged = bool(reasons)


WRONG_DIGITS = "wrong_digits"  # the voice check's reason code when the number heard is not the one asked


def _voice_flags(checkin: CheckIn) -> list[FlagReason]:
    """Why the voice needs a person's ears: the best voice result of the check-in's clips, if not a match.

    A clip whose digits were not the number asked (biometrics' "wrong_digits") is "no match" whatever the
    voice; the reviewer is told that, not "a different voice": it may be a recording played back, or the
    recogniser mishearing one clear reading (it hears about 98 numbers in 100 within one digit)."""
    heard = checkin.verifications.filter(status=VerificationStatus.DONE, voice_checked=True)
    results = list(heard.values_list("voice_decision", "voice_reason"))
    decisions = {decision for decision, _reason in results}
    if not decisions or "match" in decisions:
        return []
    if "review" in decisions:
        return [FlagReason.VOICE_REVIEW]
    if any(decision == "no_match" and reason != WRONG_DIGITS for decision, reason in results):
        return [FlagReason.VOICE_NO_MATCH]
    if "no_match" in decisions:
        return [FlagReason.VOICE_WRONG_DIGITS]
    return [FlagReason.VOICE_RETRY]


def _checkin_media_delete(checkin: CheckIn, at: datetime) -> int:
    """Delete one check-in's media files and blank their rows, in one transaction, audited."""
    with transaction.atomic():
        locked = CheckIn.objects.select_for_update().get(pk=checkin.pk)
        if locked.media_deleted_at is not None:
            return 0
        media = CheckInMedia.objects.filter(checkin=locked, deleted_at__isnull=True)
        names = [name for name in media.values_list("file", flat=True) if name]
        count = media.update(file="", deleted_at=at)
        locked.media_deleted_at = at
        locked.save(update_fields=["media_deleted_at"])
        review = getattr(checkin, "review", None)
        audit_record(
            actor=RETENTION_ACTOR,
            action=AuditAction.CHECKIN_MEDIA_DELETED,
            person=checkin.person,
            target=locked,
            reason="retention",
            data={"files": count, "state": locked.state, "decision": review.decision if review else ""},
        )
        transaction.on_commit(lambda: _files_delete(names))
    return count


def _files_delete(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _verification_claim(verification_id: int) -> bool:
    """Take a pending check for this run. False when another run holds it and has not been silent too long."""
    at = timezone.now()
    stale = at - timedelta(minutes=settings.CHECKIN_VERIFICATION_STALE_MINUTES)
    return bool(
        Verification.objects.filter(pk=verification_id, status=VerificationStatus.PENDING)
        .filter(Q(started_at__isnull=True) | Q(started_at__lt=stale))
        .update(started_at=at)
    )


SWEEP_ACTOR = SystemActor("checkins_verifications_sweep")


def verifications_stale_sweep(now: datetime | None = None) -> dict[str, int]:
    """Face checks pending too long (a worker died, or the task was lost): queue each again once; after that,
    fail it in plain words and give the person back the try it used (a periodic job)."""
    at = now or timezone.now()
    cutoff = at - timedelta(minutes=settings.CHECKIN_VERIFICATION_STALE_MINUTES)
    last_moved = Greatest("created_at", Coalesce("started_at", "created_at"), Coalesce("requeued_at", "created_at"))
    stale = list(
        Verification.objects.filter(status=VerificationStatus.PENDING, created_at__lt=cutoff)
        .annotate(last_moved=last_moved)
        .filter(last_moved__lt=cutoff)
        .values_list("pk", "requeued_at")
    )
    requeued = failed = 0
    for verification_id, requeued_at in stale:
        if requeued_at is None:
            requeued += _verification_requeue(verification_id, at)
        else:
            failed += _verification_give_up(verification_id, at)
    return {"requeued": requeued, "failed": failed}


def _verification_requeue(verification_id: int, at: datetime) -> int:
    with transaction.atomic():
        moved = Verification.objects.filter(
            pk=verification_id, status=VerificationStatus.PENDING, requeued_at__isnull=True
        ).update(requeued_at=at, started_at=None)
        if not moved:
            return 0
        verification = Verification.objects.select_related("checkin__person").get(pk=verification_id)
        audit_record(
            actor=SWEEP_ACTOR,
            action=AuditAction.CHECKIN_VERIFICATION_REQUEUED,
            person=verification.checkin.person,
            target=verification,
        )
        transaction.on_commit(lambda: _verification_enqueue(verification_id))
    return 1


def _verification_give_up(verification_id: int, at: datetime) -> int:
    with transaction.atomic():
        moved = Verification.objects.filter(pk=verification_id, status=VerificationStatus.PENDING).update(
            status=VerificationStatus.FAILED,
            error="The worker checking it stopped twice; given up by the sweep.",
            message=_("We could not check your photo. You have your try back: try again or send your check-in."),
            finished_at=at,
        )
        if not moved:
            return 0
        verification = Verification.objects.select_related("checkin").get(pk=verification_id)
        locked = CheckIn.objects.select_for_update().select_related("person").get(pk=verification.checkin_id)
        given_back = locked.state == State.CREATED and locked.face_attempts > 0
        if given_back:
            locked.face_attempts -= 1
            locked.save(update_fields=["face_attempts"])
        elif locked.state == State.SUBMITTED:
            _flags_refresh(locked)
            locked.save(update_fields=["flagged", "flag_reasons"])
            _flagged_alert(locked)
        audit_record(
            actor=SWEEP_ACTOR,
            action=AuditAction.CHECKIN_VERIFICATION_FAILED,
            person=locked.person,
            target=verification,
            data={"reason": "worker_lost", "try_given_back": given_back},
        )
    return 1


def _verification_enqueue(verification_id: int) -> None:
    from onward.checkins.tasks import verify_checkin_media

    verify_checkin_media.enqueue(verification_id)


def _checkin_link(checkin: CheckIn, account: Any) -> str:
    """A link that works until the window closes: with their date of birth, it opens the check-in."""

    path = sign_in_link_issue(
        user=account, purpose="checkin", next_url=reverse("checkins:person_checkin"), expires_at=checkin.closes_at
    )
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def _person_tell(checkin: CheckIn, *, kind: str, subject: str, body: str) -> None:
    """In the app, and by the person's chosen channel, with the link to the check-in page."""

    person = checkin.person
    account = person_account_ensure(person)
    when = formats.date_format(timezone.localtime(checkin.closes_at), "l j F, H:i")  # as reminders say it
    text = body % {"when": when, "link": _checkin_link(checkin, account)}
    notification_queue(
        channel=Channel.IN_APP,
        recipient=str(account.pk),
        user=account,
        person=person,
        subject=subject,
        body=text,
        idempotency_key=f"checkin-{kind}:{checkin.pk}:in_app",
    )
    preference = checkin.enrolment.contact_preference
    if preference == ContactPreference.IN_APP:
        return
    # The chosen way, else another that reaches them; only a phone or email shown to be theirs.
    channel, address = contact_for(person, preference)
    if channel == Channel.IN_APP:
        return
    notification_queue(
        channel=channel,
        recipient=address,
        user=account if channel == Channel.PUSH else None,
        person=person,
        subject=subject,
        body=text,
        idempotency_key=f"checkin-{kind}:{checkin.pk}:{channel}",
    )


def _person_prompt(checkin: CheckIn, *, subject: str, body: str) -> None:
    """A curfew check goes everywhere at once: in the app, by push where set up, and by text to a checked phone."""
    person = checkin.person
    account = person_account_ensure(person)
    when = formats.time_format(timezone.localtime(checkin.closes_at), "H:i")
    text = body % {"when": when, "link": _checkin_link(checkin, account)}
    sends = [(Channel.IN_APP, str(account.pk))]
    if push_reachable(account):
        sends.append((Channel.PUSH, str(account.pk)))
    if person.phone_verified:
        sends.append((Channel.SMS, person.phone))
    for channel, recipient in sends:
        notification_queue(
            channel=channel,
            recipient=recipient,
            user=account if channel != Channel.SMS else None,
            person=person,
            subject=subject,
            body=text,
            idempotency_key=f"checkin-prompt:{checkin.pk}:{channel}",
        )


def _practitioner_alert(checkin: CheckIn) -> None:
    """A missed check-in is an alert for the person's practitioner, who decides what it means."""
    alert_raise(
        kind=AlertKind.CHECKIN_MISSED,
        person=checkin.person,
        key=f"checkin-missed:{checkin.pk}",
        actor=EXPIRE_ACTOR,
        summary=_("%(ref)s did not do their check-in due on %(date)s.")
        % {"ref": checkin.person.reference, "date": checkin.due_date.isoformat()},
        cause=_review_cause(checkin),
    )


def _flagged_alert(checkin: CheckIn) -> None:
    """A sent check-in with a flag (an answer, the face check) is an alert too; one per check-in."""
    if not checkin.flagged or checkin.state != State.SUBMITTED:
        return
    alert_raise(
        kind=AlertKind.CHECKIN_FLAGGED,
        person=checkin.person,
        key=f"checkin-flagged:{checkin.pk}",
        summary=_("%(ref)s sent a check-in that needs attention: %(reasons)s")
        % {"ref": checkin.person.reference, "reasons": "; ".join(str(r) for r in checkin.flag_reasons)},
        cause=_review_cause(checkin),
    )


def _review_cause(checkin: CheckIn) -> AlertCause:
    return AlertCause(
        "checkins:review", _("Check-in due %(date)s") % {"date": checkin.due_date.isoformat()}, [checkin.pk]
    )
