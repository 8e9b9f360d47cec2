"""A person's remote check-in, for their phone's app (device token) and for the check-in page (session).

The steps, in any order while the check-in is open: answer the questions, send a short clip recorded
live for a challenge (ask for it first: moves and screen colours on time; the clip carries its nonce)
or a photo, share the phone's position, then send the check-in. Only the person answers, and only
their own check-in: someone else's, or one that does not exist, is the same 404. Staff are refused
(403); they review check-ins on their own pages. The services in onward.checkins.services make
every change; this module only translates.
"""

import datetime as dt
from typing import Annotated, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import File, Form, P, PathEx, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ConfigDict, Field, StringConstraints

from onward.api.auth import DeviceTokenAuth, PersonOrStaffSessionAuth, api_caller
from onward.api.errors import BAD_REQUEST, NOT_FOUND, UNPROCESSABLE, responses
from onward.api.permissions import permission
from onward.api.schemas import DATABASE_ID_MAX
from onward.checkins import selectors, services
from onward.checkins.models import CheckIn, MediaKind, QuestionKind, State

# The check-in page calls these with the person's browser session (and the CSRF token), so a
# person's session counts here as on the device routes.
router = Router(auth=[DeviceTokenAuth(), PersonOrStaffSessionAuth()], tags=["check-ins"])

CheckInId = PathEx[int, P(ge=1, le=DATABASE_ID_MAX)]
ANSWER_MAX_CHARS = 2000  # as the service keeps
ANSWER_CHOICES_MAX = 20
QUESTION_KEY_PATTERN = r"^[a-z0-9_-]{1,50}$"
LOCATION_ACCURACY_MAX_M = 100_000
QuestionKey = Annotated[str, StringConstraints(pattern=QUESTION_KEY_PATTERN)]
AnswerText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=ANSWER_MAX_CHARS)]
AnswerValue = (
    AnswerText
    | Annotated[list[Annotated[str, StringConstraints(max_length=100)]], Field(max_length=ANSWER_CHOICES_MAX)]
)


# --- Schemas ------------------------------------------------------------------------------------


class ChoiceOut(Schema):
    value: str = Field(description="What to send back as the answer.")
    label: str = Field(description="What to show, in the person's language.")


class QuestionOut(Schema):
    key: str = Field(description="The answer's name in PUT …/answers.")
    kind: QuestionKind = Field(description="many_choices takes a list of values; the others take one string.")
    text: str
    choices: list[ChoiceOut]
    required: bool
    answer: str | list[str] | None = Field(description="What the person saved so far, or null.")


class FaceOut(Schema):
    status: Literal["none", "pending", "failed", "done"] = Field(
        description="none: nothing sent yet; pending: being checked; failed: could not be checked; done."
    )
    matched: bool | None = Field(description="When done: whether we could see it is them.")
    message: str = Field(description="What to tell the person, in plain words.")


class CheckInOut(Schema):
    id: int
    state: State
    due_date: dt.date
    closes_at: dt.datetime = Field(description="Send the check-in before this time.")
    questions: list[QuestionOut]
    answered: bool = Field(description="The person has saved their answers at least once.")
    attempts_left: int = Field(description="How many more photos or clips the person may send.")
    location_shared: bool
    face: FaceOut


class CheckInStatusOut(Schema):
    id: int
    state: State
    attempts_left: int
    face: FaceOut


class AnswersIn(Schema):
    model_config = ConfigDict(extra="forbid")

    answers: dict[QuestionKey, AnswerValue] = Field(
        max_length=100,
        description="By question key: a choice's value, a list of values for many_choices, or text. "
        "Saving again replaces what was saved.",
    )


class AnswersSavedOut(Schema):
    saved: int = Field(description="How many answers are kept.")
    message: str


Move = Literal["turn_left", "turn_right", "look_up", "look_down", "blink", "hold_still"]


class ChallengeStepOut(Schema):
    start_ms: int = Field(description="When to show this step, in ms after the first step is shown.")
    end_ms: int
    move: Move = Field(
        description="What the person does: turn THEIR head that way, look up or down, blink, or keep still."
    )
    screen_rgb: list[int] = Field(description="The colour to fill the whole screen with during the step (0-255 each).")
    instruction: str = Field(description="The move in plain words, to show on time over the colour.")


class ChallengeOut(Schema):
    nonce: str = Field(description="Send it back with the clip as `challenge_nonce`. One clip per challenge.")
    issued_at: dt.datetime
    expires_at: dt.datetime = Field(description="Record and send the clip before this (a few minutes).")
    steps: list[ChallengeStepOut] = Field(
        description="Start recording, then show each step full-screen at its time; stop after the last."
    )
    digits: str = Field(description="Six digits for the person to read aloud while recording (the voice check).")


class MediaAcceptedOut(Schema):
    id: int
    kind: Literal["photo", "video"]
    attempt: int
    attempts_left: int
    message: str


class LocationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    latitude: float = Field(ge=-90, le=90, description="WGS84 degrees, as the phone gives them.")
    longitude: float = Field(ge=-180, le=180, description="WGS84 degrees.")
    accuracy_m: float = Field(ge=0, le=LOCATION_ACCURACY_MAX_M, description="The phone's accuracy radius in metres.")
    consent: bool = Field(description="The person agreed to share their position for this check-in.")


class LocationSharedOut(Schema):
    shared: bool
    message: str


class SubmissionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    idempotency_key: str = Field(
        pattern=r"^[A-Za-z0-9_-]{8,64}$",
        description="A key the device makes up once for this check-in (8 to 64 letters, digits, - or _). "
        "Sending again with the same key, after a lost connection, gives back the first answer.",
    )


class SubmittedOut(Schema):
    id: int
    state: State
    submitted_at: dt.datetime | None
    message: str


# --- Operations ---------------------------------------------------------------------------------


@router.get(
    "/me/check-ins/current",
    response=responses({200: CheckInOut}, NOT_FOUND),
    summary="The person's check-in that is open now",
)
@permission("checkin.respond")
def checkin_current(request: HttpRequest) -> CheckInOut:
    """404 when there is none to do: the person gets a message when the next one opens."""
    checkin = selectors.checkin_current_for_person(api_caller(request))
    if checkin is None:
        raise HttpError(
            NOT_FOUND, _("You have no check-in to do right now. We will send you a message when it is time.")
        )
    return _checkin_out(checkin)


@router.get(
    "/me/check-ins/{checkin_id}/status",
    response=responses({200: CheckInStatusOut}, NOT_FOUND, UNPROCESSABLE),
    summary="Where a check-in is, and the latest face check",
)
@permission("checkin.respond")
def checkin_status(request: HttpRequest, checkin_id: CheckInId) -> CheckInStatusOut:
    """Ask every few seconds after sending a photo or clip, until face.status is no longer pending."""
    checkin = _own(request, checkin_id)
    return CheckInStatusOut(
        id=checkin.pk,
        state=State(checkin.state),
        attempts_left=selectors.checkin_attempts_left(checkin),
        face=_face_out(checkin),
    )


@router.put(
    "/me/check-ins/{checkin_id}/answers",
    response=responses({200: AnswersSavedOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Save the answers to the questions",
)
@permission("checkin.respond")
def checkin_answers_put(request: HttpRequest, checkin_id: CheckInId, body: AnswersIn) -> AnswersSavedOut:
    """A missing or wrong answer answers 422 naming the question (field answers.<key>); nothing is saved then."""
    user = api_caller(request)
    checkin = _own(request, checkin_id)
    try:
        saved = services.checkin_answers_save(actor=user, checkin=checkin, answers=dict(body.answers))
    except DjangoValidationError as error:
        if hasattr(error, "error_dict"):
            raise NinjaValidationError(
                [
                    {"loc": ("body", "body", "answers", key), "msg": " ".join(messages)}
                    for key, messages in error.message_dict.items()
                ]
            ) from None
        raise _refused(error) from None
    return AnswersSavedOut(saved=len(saved), message=_("Your answers are saved."))


@router.post(
    "/me/check-ins/{checkin_id}/challenge",
    response=responses({200: ChallengeOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="The move to do in the next clip",
)
@permission("checkin.respond")
def checkin_challenge(request: HttpRequest, checkin_id: CheckInId) -> ChallengeOut:
    """Ask just before recording. The clip sent next is judged against the last challenge given here:
    the moves in order at their times, and the screen's colours on the face."""
    checkin = _own(request, checkin_id)
    try:
        challenge = services.checkin_challenge_issue(actor=api_caller(request), checkin=checkin)
    except DjangoValidationError as error:
        raise _refused(error) from None
    return ChallengeOut(
        nonce=challenge.nonce,
        issued_at=challenge.issued_at,
        expires_at=challenge.expires_at,
        digits=challenge.digits,
        steps=[
            ChallengeStepOut(
                start_ms=step.start_ms,
                end_ms=step.end_ms,
                move=step.move,
                screen_rgb=list(step.screen_rgb),
                instruction=_(services.liveness_engine().MOVE_WORDS[step.move]),
            )
            for step in challenge.steps
        ],
    )


@router.post(
    "/me/check-ins/{checkin_id}/media",
    response=responses({202: MediaAcceptedOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Send a photo or a short clip of the person's face",
)
@permission("checkin.respond")
def checkin_media(
    request: HttpRequest,
    checkin_id: CheckInId,
    media: File[UploadedFile],
    challenge_nonce: Form[str] = "",
    recorded_at: Form[dt.datetime | None] = None,
) -> Status[MediaAcceptedOut]:
    """multipart/form-data with the file as `media`: a JPEG or PNG photo, or a WebM or MP4 clip
    recorded live for the challenge from POST …/challenge, with its `challenge_nonce` and, if known,
    `recorded_at` (when recording started, ISO 8601 with time zone). The file's own bytes decide its
    type, not its name. A clip for another or an expired challenge, a file that is too big, not a
    photo or video, or will not open is refused with 400 and does not use a try. Accepted files are
    checked in the background: ask …/status for the result."""
    user = api_caller(request)
    checkin = _own(request, checkin_id)
    limit = max(settings.CHECKIN_VIDEO_MAX_BYTES, settings.CHECKIN_PHOTO_MAX_BYTES)
    try:
        if media.size is not None and media.size > limit:  # refused before it is read into memory
            raise services.MediaRefused(_("The file is too large. Record a shorter video or take the photo again."))
        if recorded_at is not None and recorded_at.tzinfo is None:
            raise services.MediaRefused(_("Something went wrong with the recording time. Press Start to try again."))
        added = services.checkin_media_add(
            actor=user, checkin=checkin, data=media.read(), challenge_nonce=challenge_nonce, recorded_at=recorded_at
        )
    except DjangoValidationError as error:
        raise _refused(error) from None
    accepted = MediaAcceptedOut(
        id=added.pk,
        kind="video" if added.kind == MediaKind.VIDEO else "photo",
        attempt=added.attempt,
        attempts_left=selectors.checkin_attempts_left(checkin),
        message=_("Thank you. We are checking your photo now."),
    )
    return Status(202, accepted)


@router.post(
    "/me/check-ins/{checkin_id}/location",
    response=responses({200: LocationSharedOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Share the phone's position with the check-in",
)
@permission("checkin.respond")
def checkin_location(request: HttpRequest, checkin_id: CheckInId, body: LocationIn) -> LocationSharedOut:
    """Only with consent: false answers 400 and keeps nothing. Sending again replaces the position."""
    checkin = _own(request, checkin_id)
    try:
        services.checkin_location_save(
            actor=api_caller(request),
            checkin=checkin,
            latitude=body.latitude,
            longitude=body.longitude,
            accuracy_m=body.accuracy_m,
            consent=body.consent,
        )
    except DjangoValidationError as error:
        raise _refused(error) from None
    return LocationSharedOut(shared=True, message=_("Thank you. Your location is shared with this check-in."))


@router.post(
    "/me/check-ins/{checkin_id}/submit",
    response=responses({200: SubmittedOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Send the check-in",
)
@permission("checkin.respond")
def checkin_submit(request: HttpRequest, checkin_id: CheckInId, body: SubmissionIn) -> SubmittedOut:
    """The answers must be saved first; the face check and location are asked for, not required (a check
    without them is flagged for the practitioner). A retry with the same key answers as the first time;
    sending an already sent check-in with another key answers 400."""
    checkin = _own(request, checkin_id)
    try:
        sent = services.checkin_submit(actor=api_caller(request), checkin=checkin, idempotency_key=body.idempotency_key)
    except DjangoValidationError as error:
        raise _refused(error) from None
    return SubmittedOut(
        id=sent.pk,
        state=State(sent.state),
        submitted_at=sent.submitted_at,
        message=_("Thank you. Your probation practitioner will look at it."),
    )


# --- Helpers ------------------------------------------------------------------------------------


def _own(request: HttpRequest, checkin_id: int) -> CheckIn:
    """The caller's own check-in; another person's and one that does not exist are the same 404."""
    try:
        return selectors.checkin_for_person(api_caller(request), checkin_id)
    except PermissionDenied:
        raise Http404 from None


def _refused(error: DjangoValidationError) -> HttpError:
    return HttpError(BAD_REQUEST, " ".join(error.messages))


def _checkin_out(checkin: CheckIn) -> CheckInOut:
    questions = selectors.checkin_questions_for_person(checkin, get_language() or "en-gb")
    return CheckInOut(
        id=checkin.pk,
        state=State(checkin.state),
        due_date=checkin.due_date,
        closes_at=checkin.closes_at,
        questions=[
            QuestionOut(
                key=q.key,
                kind=QuestionKind(q.kind),
                text=q.text,
                choices=[ChoiceOut(value=value, label=label) for value, label in q.choices],
                required=q.required,
                answer=q.value,
            )
            for q in questions
        ],
        answered=any(q.value not in (None, "", []) for q in questions),
        attempts_left=selectors.checkin_attempts_left(checkin),
        location_shared=checkin.location_consent,
        face=_face_out(checkin),
    )


def _face_out(checkin: CheckIn) -> FaceOut:
    face = selectors.checkin_face_status(checkin)
    return FaceOut(status=face.status, matched=face.matched, message=face.message)  # type: ignore[arg-type]
