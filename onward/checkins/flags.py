"""Why a check-in needs a person's eyes: stored as codes, read in the reader's language.

A check-in keeps its reasons as codes (`CheckIn.flag_reasons`); a questionnaire question names the
code its flagged answers raise (`Question.flag_reason`). The words come from the translation
catalogue when someone reads them, so a Welsh-speaking reviewer and an English one see the same
reasons each in their own language.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from onward.checkins.models import FaceDecision, LocationVerdict


class FlagReason(TextChoices):
    MISSED = "missed", _("Missed check-in")
    ANSWER = "answer", _("An answer needs attention")
    MOOD_LOW = "mood_low", _("Said they are not great or struggling")
    HELP_ASKED = "help_asked", _("Asked for help")
    CALL_BACK = "call_back", _("Wants a call back")
    FACE_PENDING = "face_pending", _("Face check not finished yet")
    FACE_MISSING = "face_missing", _("No face check")
    FACE_REVIEW = "face_review", _("Face: Needs your judgement")
    FACE_NO_MATCH = "face_no_match", _("Face: No match")
    FACE_NO_FACE = "face_no_face", _("Face: No face found")
    LIVENESS_MISSING = "liveness_missing", _("No liveness check (photo only)")
    LIVENESS_FAILED = "liveness_failed", _("Liveness check not passed")
    LOCATION_MISSING = "location_missing", _("No location shared")
    LOCATION_AWAY = "location_away", _("Location: Away from their address")
    LOCATION_UNCERTAIN = "location_uncertain", _("Location: Uncertain")
    VOICE_REVIEW = "voice_review", _("Voice: perhaps not the same voice")
    VOICE_NO_MATCH = "voice_no_match", _("Voice: a different voice")
    VOICE_WRONG_DIGITS = "voice_wrong_digits", _("Voice: did not say the number on the screen")
    VOICE_RETRY = "voice_retry", _("Voice: not enough clear speech to check")
    MEDIA_SEEN_BEFORE = "media_seen_before", _("The photo or video was sent before (the same or nearly the same)")


# Every face decision but a match, and every location verdict but "at their address", raises a flag.
FACE_FLAGS: dict[FaceDecision, FlagReason] = {
    FaceDecision.REVIEW: FlagReason.FACE_REVIEW,
    FaceDecision.NO_MATCH: FlagReason.FACE_NO_MATCH,
    FaceDecision.NO_FACE: FlagReason.FACE_NO_FACE,
}
LOCATION_FLAGS: dict[LocationVerdict, FlagReason] = {
    LocationVerdict.AWAY: FlagReason.LOCATION_AWAY,
    LocationVerdict.UNCERTAIN: FlagReason.LOCATION_UNCERTAIN,
}


@dataclass(frozen=True)
class FlagReasonText:
    code: str
    text: str


def flag_reason_text(code: str) -> str:
    """The reason in the current language; a code that is not (or no longer) known is shown as stored."""
    try:
        return str(FlagReason(code).label)
    except ValueError:
        return code


def flag_reasons_described(codes: Iterable[str]) -> list[FlagReasonText]:
    """Each stored code with its words in the current language (for pages and API answers)."""
    return [FlagReasonText(code=code, text=flag_reason_text(code)) for code in codes]
