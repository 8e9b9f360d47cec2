"""Flag reasons become codes (onward/checkins/flags.py), so each reader sees them in their own language.

The English words stored until now are mapped to their codes; words this migration does not know are
kept as they are (the pages show an unknown code as it is stored). The mapping is frozen here, so later
changes to the words in flags.py do not change what this migration does.
"""

from django.db import migrations

BATCH_SIZE = 500

CODES_BY_TEXT = {
    "Missed check-in": "missed",
    "An answer needs attention": "answer",
    "Said they are not great or struggling": "mood_low",
    "Asked for help": "help_asked",
    "Wants a call back": "call_back",
    "Face check not finished yet": "face_pending",
    "No face check": "face_missing",
    "Face: Needs your judgement": "face_review",
    "Face: No match": "face_no_match",
    "Face: No face found": "face_no_face",
    "No liveness check (photo only)": "liveness_missing",
    "Liveness check not passed": "liveness_failed",
    "No location shared": "location_missing",
    "Location: Away from their address": "location_away",
    "Location: Uncertain": "location_uncertain",
    "Voice: perhaps not the same voice": "voice_review",
    "Voice: a different voice": "voice_no_match",
    "Voice: not enough clear speech to check": "voice_retry",
}
TEXTS_BY_CODE = {code: text for text, code in CODES_BY_TEXT.items()}


def to_codes(apps, schema_editor):
    _convert(apps, CODES_BY_TEXT)


def to_texts(apps, schema_editor):
    _convert(apps, TEXTS_BY_CODE)


def _convert(apps, mapping):
    Question = apps.get_model("checkins", "Question")
    CheckIn = apps.get_model("checkins", "CheckIn")
    for question in Question.objects.exclude(flag_reason=""):
        if question.flag_reason in mapping:
            question.flag_reason = mapping[question.flag_reason]
            question.save(update_fields=["flag_reason"])
    changed = []
    for checkin in CheckIn.objects.exclude(flag_reasons=[]).only("pk", "flag_reasons").iterator(BATCH_SIZE):
        reasons = [mapping.get(reason, reason) for reason in checkin.flag_reasons]
        if reasons != checkin.flag_reasons:
            checkin.flag_reasons = reasons
            changed.append(checkin)
        if len(changed) >= BATCH_SIZE:
            CheckIn.objects.bulk_update(changed, ["flag_reasons"])
            changed = []
    CheckIn.objects.bulk_update(changed, ["flag_reasons"])


class Migration(migrations.Migration):
    dependencies = [("checkins", "0003_voice")]
    operations = [migrations.RunPython(to_codes, to_texts)]
