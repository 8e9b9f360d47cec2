"""Seed version 1 of the check-in questionnaire, in English and Welsh, with its flag rules."""

from django.db import migrations

MOOD = [
    ("very_well", "Very well", "Da iawn"),
    ("well", "Well", "Da"),
    ("okay", "Okay", "Iawn"),
    ("not_great", "Not great", "Ddim yn wych"),
    ("struggling", "Struggling", "Cael trafferth"),
]
HELP = [
    ("mental_health", "Mental health", "Iechyd meddwl"),
    ("alcohol", "Alcohol", "Alcohol"),
    ("drugs", "Drugs", "Cyffuriau"),
    ("money", "Money", "Arian"),
    ("housing", "Housing", "Tai"),
    ("work", "Work", "Gwaith"),
    ("relationships", "Relationships", "Perthnasoedd"),
    ("other", "Something else", "Rhywbeth arall"),
    ("none", "I do not need help", "Nid oes angen help arnaf"),
]
YES_NO = [("yes", "Yes", "Ydw"), ("no", "No", "Nac ydw")]


def _choices(rows):
    return [{"value": v, "en": en, "cy": cy} for v, en, cy in rows]


def seed(apps, schema_editor):
    Questionnaire = apps.get_model("checkins", "Questionnaire")
    Question = apps.get_model("checkins", "Question")
    questionnaire = Questionnaire.objects.create(version=1, active=True)
    Question.objects.create(
        questionnaire=questionnaire,
        key="mood",
        position=1,
        kind="one_choice",
        text_en="How have you been feeling since your last check-in?",
        text_cy="Sut ydych chi wedi bod yn teimlo ers eich gwiriad diwethaf?",
        choices=_choices(MOOD),
        flag_values=["not_great", "struggling"],
        flag_reason="Said they are not great or struggling",
    )
    Question.objects.create(
        questionnaire=questionnaire,
        key="help",
        position=2,
        kind="many_choices",
        text_en="What do you need help with?",
        text_cy="Gyda beth sydd angen help arnoch chi?",
        choices=_choices(HELP),
        flag_values=[v for v, _en, _cy in HELP if v != "none"],
        flag_reason="Asked for help",
    )
    Question.objects.create(
        questionnaire=questionnaire,
        key="call_back",
        position=3,
        kind="yes_no",
        text_en="Would you like your probation practitioner to call you?",
        text_cy="Hoffech chi i'ch ymarferydd prawf eich ffonio?",
        choices=_choices(YES_NO),
        flag_values=["yes"],
        flag_reason="Wants a call back",
    )
    Question.objects.create(
        questionnaire=questionnaire,
        key="comment",
        position=4,
        kind="text",
        text_en="Is there anything else you want to tell us?",
        text_cy="Oes unrhyw beth arall rydych chi eisiau ei ddweud wrthym?",
        required=False,
    )


def unseed(apps, schema_editor):
    apps.get_model("checkins", "Questionnaire").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("checkins", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
