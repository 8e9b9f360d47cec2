"""Random check-ins during curfew: planned at unpredictable times each night, asked through onward/checkins.

`random_times` picks the times: uniformly among every way of placing the count inside the night's curfew
with at least the gap between any two, and room for the answer window before the curfew ends. The plan job
(`curfew_prompts_plan`) plans tonight for everyone asked for random check-ins, once a night; the send job
(`curfew_prompts_send`, every minute) turns each due prompt into a check-in with a short window (a setting,
15 minutes by default), sent by push and text at once. The check-in then has the same verification and
review as a scheduled one; a missed one is marked missed and alerts the practitioner (checkins_expire), and a
failed face or liveness check flags it for review, which alerts too.
"""

import random
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onward.audit.services import audit_record
from onward.checkins.models import Enrolment
from onward.checkins.services import checkin_prompt_open
from onward.core.actors import SystemActor
from onward.core.audit_actions import AuditAction
from onward.core.permissions import require
from onward.curfew.evaluation import terms_from_snapshot
from onward.curfew.models import (
    CurfewPrompt,
    CurfewTerms,
    CurfewVariation,
    PromptState,
    RandomCheckins,
    VariationState,
)
from onward.curfew.windows import LONDON, Interval, NightVariation, night_interval
from onward.people.models import Person
from onward.people.rules import acting_role

PLAN_ACTOR = SystemActor("curfew_prompts_plan")
SEND_ACTOR = SystemActor("curfew_prompts_send")
SEND_BATCH = 200
CLOCK_CHANGE_MINUTES = 60
_system_random = random.SystemRandom()


def random_checkins_set(*, actor: Any, person: Person, per_night: int) -> RandomCheckins:
    """How many random check-ins a night (0 stops them), never more than the curfew nights can hold. Audited.

    Prompts are at least `CURFEW_CHECKIN_MIN_GAP_MINUTES` apart and each leaves its answer window before the
    curfew ends, so a count is refused when the person's shortest curfew night cannot hold it.
    """
    require(actor, "curfew.vary", person)
    most = settings.CURFEW_CHECKINS_PER_NIGHT_MAX
    if not 0 <= per_night <= most:
        raise ValidationError(_("Choose between 0 and %(n)d random check-ins a night.") % {"n": most})
    if per_night > 0:
        fit = random_checkins_fit(person)
        if fit is None:
            raise ValidationError(_("Set the curfew hours first. Random check-ins are asked during curfew."))
        if per_night > fit:
            raise ValidationError(
                _(
                    "Check-ins must be at least %(gap)d minutes apart, so the shortest curfew night has room "
                    "for %(fit)d at most."
                )
                % {"gap": settings.CURFEW_CHECKIN_MIN_GAP_MINUTES, "fit": fit}
            )
    with transaction.atomic():
        row, _created = RandomCheckins.objects.select_for_update().get_or_create(person=person)
        before = row.per_night
        row.per_night = per_night
        row.changed_by = actor
        row.changed_at = timezone.now()
        row.save()
        audit_record(
            actor=actor,
            role=acting_role(actor, person),
            action=AuditAction.CURFEW_RANDOM_CHECKINS_SET,
            person=person,
            target=row,
            data={"per_night": {"before": before, "after": per_night}},
        )
    return row


def random_checkins_count(person: Person) -> RandomCheckins:
    """The person's count a night (an unsaved row of 0 when never set)."""
    return RandomCheckins.objects.filter(person=person).first() or RandomCheckins(person=person, per_night=0)


def random_checkins_fit(person: Person) -> int | None:
    """How many prompts the shortest curfew night of the terms in force holds (None: no curfew hours set)."""
    terms = CurfewTerms.objects.filter(person=person, issued_at__lte=timezone.now()).order_by("-issued_at").first()
    if terms is None:
        return None
    windows = terms_from_snapshot(terms.issued_at, terms.snapshot).windows
    if not windows:
        return None
    most = settings.CURFEW_CHECKINS_PER_NIGHT_MAX
    gap = settings.CURFEW_CHECKIN_MIN_GAP_MINUTES
    # The night the clocks go forward is an hour shorter than the wall clock says.
    shortest = min(window.wall_hours() for window in windows) * 60 - CLOCK_CHANGE_MINUTES
    usable = shortest - settings.CURFEW_CHECKIN_WINDOW_MINUTES
    if usable < 0:
        return 0
    return min(int(usable // gap) + 1, most) if gap > 0 else most


def random_times(
    interval: Interval, count: int, *, gap: timedelta, window: timedelta, rng: random.Random | None = None
) -> list[datetime]:
    """`count` times inside the interval, at least `gap` apart, each leaving `window` before the end.

    Fewer when the night is too short for them all. Each arrangement is equally likely: draw the count
    points in the slack left after the gaps, sort them, then add the gaps back.
    """
    chooser = rng or _system_random
    usable = (interval.end - window) - interval.start
    while count > 0 and usable - gap * (count - 1) < timedelta(0):
        count -= 1
    if count <= 0:
        return []
    slack = (usable - gap * (count - 1)).total_seconds()
    offsets = sorted(chooser.uniform(0, slack) for _ in range(count))
    return [
        (interval.start + timedelta(seconds=offset) + gap * index).replace(microsecond=0)
        for index, offset in enumerate(offsets)
    ]


def curfew_prompts_plan(now: datetime | None = None) -> dict[str, int]:
    """Plan tonight's random check-ins for everyone who has them, once a night (a fixed number of queries)."""
    now = now or timezone.now()
    tonight = now.astimezone(LONDON).date()
    people = dict(RandomCheckins.objects.filter(per_night__gt=0).values_list("person_id", "per_night"))
    if not people:
        return {"people": 0, "planned": 0}
    latest: dict[int, CurfewTerms] = {}
    for issued in CurfewTerms.objects.filter(person_id__in=list(people), issued_at__lte=now).order_by("issued_at"):
        latest[issued.person_id] = issued
    already = set(
        CurfewPrompt.objects.filter(person_id__in=list(people), night=tonight).values_list("person_id", flat=True)
    )
    varied = {
        v.person_id: NightVariation(v.night, v.start, v.end)
        for v in CurfewVariation.objects.filter(
            person_id__in=list(people), night=tonight, state=VariationState.APPROVED
        )
    }
    gap = timedelta(minutes=settings.CURFEW_CHECKIN_MIN_GAP_MINUTES)
    window = timedelta(minutes=settings.CURFEW_CHECKIN_WINDOW_MINUTES)
    planned: list[CurfewPrompt] = []
    for person_id, per_night in people.items():
        terms = latest.get(person_id)
        if terms is None or person_id in already:
            continue
        version = terms_from_snapshot(terms.issued_at, terms.snapshot)
        windows = {w.weekday: w for w in version.windows}
        variation = varied.get(person_id)
        interval = night_interval(tonight, windows.get(tonight.weekday()), variation) if windows else None
        if interval is None or interval.end <= now:
            continue
        start = max(interval.start, now)
        times = random_times(Interval(tonight, start, interval.end), per_night, gap=gap, window=window)
        planned += [CurfewPrompt(person_id=person_id, night=tonight, due_at=at) for at in times]
    try:
        with transaction.atomic():
            CurfewPrompt.objects.bulk_create(planned)
    except IntegrityError:
        return {"people": len(people), "planned": 0}  # another scheduler planned tonight at the same moment
    if planned:
        audit_record(
            actor=PLAN_ACTOR,
            action=AuditAction.CURFEW_CHECKIN_PLANNED,
            data={"night": tonight.isoformat(), "prompts": len(planned), "people": len({p.person_id for p in planned})},
        )
    return {"people": len(people), "planned": len(planned)}


def curfew_prompts_send(now: datetime | None = None) -> dict[str, int]:
    """Ask each prompt that is due: a check-in with a short window, sent by push and text. Once each."""
    now = now or timezone.now()
    due = list(
        CurfewPrompt.objects.filter(state=PromptState.PLANNED, due_at__lte=now)
        .select_related("person")
        .order_by("due_at")[:SEND_BATCH]
    )
    enrolments = {
        e.person_id: e
        for e in Enrolment.objects.filter(person_id__in=[p.person_id for p in due], active=True).select_related(
            "person"
        )
    }
    sent = skipped = 0
    for prompt in due:
        with transaction.atomic():
            locked = CurfewPrompt.objects.select_for_update().filter(pk=prompt.pk, state=PromptState.PLANNED).first()
            if locked is None:
                continue
            enrolment = enrolments.get(prompt.person_id)
            late = now - prompt.due_at > timedelta(minutes=settings.CURFEW_CHECKIN_WINDOW_MINUTES)
            if enrolment is None or late:
                locked.state = PromptState.SKIPPED
                locked.reason = "not enrolled in check-ins" if enrolment is None else "the scheduler was too late"
                locked.save(update_fields=["state", "reason"])
                skipped += 1
                continue
            checkin = checkin_prompt_open(
                enrolment=enrolment,
                window_minutes=settings.CURFEW_CHECKIN_WINDOW_MINUTES,
                key=f"curfew-prompt:{prompt.pk}",
            )
            locked.state = PromptState.SENT
            locked.checkin = checkin
            locked.save(update_fields=["state", "checkin"])
            sent += 1
    return {"sent": sent, "skipped": skipped}
