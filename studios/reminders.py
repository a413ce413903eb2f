"""The daily reminders of the lifecycle: next-year re-reviews (R17), cycle ends (R24) and
rectification deadlines (R25), each at 30, 7 and 1 days before it falls due (and, for a cycle
end, when it enters the expiry window), to district staff and the studio's enterprise union.

Each reminder carries a key (kind, object, due date, threshold), so running the job twice on a
day (or daily inside a threshold) sends it once. The job runs a constant number of queries
whatever the number of studios."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.services import district_staff_users, notify_many
from core import policy
from core.dates import add_years

from .lifecycle import next_year_rereview_due_on
from .lifecycle_models import Rectification, RectificationOutcome
from .models import Studio, StudioStatus
from .schedules import window_end, with_open_cycle_end

HORIZON = max(policy.LIFECYCLE_REMINDER_DAYS)


def threshold_for(days_left: int, thresholds) -> int | None:
    """The tightest threshold the due date is within (None if it is not within any yet)."""
    inside = [t for t in sorted(thresholds) if 0 <= days_left <= t]
    return inside[0] if inside else None


def _next_year_due(on: date):
    earliest = add_years(on, -policy.R17_REREVIEW_AFTER_YEARS)
    latest = add_years(on + timedelta(days=HORIZON), -policy.R17_REREVIEW_AFTER_YEARS)
    for studio in Studio.objects.filter(
        status=StudioStatus.RECOGNISED, recognised_on__range=(earliest, latest)
    ).only("pk", "name", "enterprise_id", "recognised_on"):
        yield studio, next_year_rereview_due_on(studio.recognised_on)


def _cycle_ends(on: date, until: date):
    qs = with_open_cycle_end(
        Studio.objects.filter(status=StudioStatus.IN_CYCLE).only("pk", "name", "enterprise_id")
    ).filter(cycle_ends_on__range=(on, until))
    for studio in qs:
        yield studio, studio.cycle_ends_on


def _rectifications(on: date):
    for rect in Rectification.objects.filter(
        outcome=RectificationOutcome.PENDING,
        deadline__range=(on, on + timedelta(days=HORIZON)),
    ).select_related("studio"):
        yield rect.studio, rect.deadline, rect.pk


def _message(kind, studio, due, threshold, title, recipients, object_id):
    return {
        "recipients": recipients,
        "kind": f"lifecycle.{kind}",
        "key": f"lifecycle:{kind}:{object_id}:{due.isoformat()}:{threshold}",
        "title": format_lazy(title, studio=studio.name, due=due.isoformat()),
        "body": format_lazy(
            _("{studio}: due on {due} (Beijing time, inclusive)."),
            studio=studio.name,
            due=due.isoformat(),
        ),
        "url": reverse("studios:studio_detail", args=[studio.pk]),
    }


def lifecycle_reminders(on: date, months: int | None = None) -> list[tuple]:
    """``(kind, studio, due, threshold, object_id)`` for every reminder due on ``on``; the cycle
    end's expiry window is ``months`` calendar months (default R24's 6)."""
    until = window_end(on, months)
    thresholds = policy.LIFECYCLE_REMINDER_DAYS
    found = []
    for studio, due in _next_year_due(on):
        t = threshold_for((due - on).days, thresholds)
        if t is not None:
            found.append(("next_year_rereview", studio, due, t, studio.pk))
    for studio, due in _cycle_ends(on, until):
        t = threshold_for((due - on).days, (*thresholds, (until - on).days))
        if t is not None:
            found.append(("cycle_end", studio, due, t, studio.pk))
    for studio, due, rect_id in _rectifications(on):
        t = threshold_for((due - on).days, thresholds)
        if t is not None:
            found.append(("rectification_deadline", studio, due, t, rect_id))
    return found


TITLES = {
    "next_year_rereview": _("Next-year re-review (Article 17) due {due}: {studio}"),
    "cycle_end": _("Five-year cycle (Article 24) ends {due}: {studio}"),
    "rectification_deadline": _("Rectification deadline (Article 25) {due}: {studio}"),
}


def send_lifecycle_reminders(on: date, months: int | None = None) -> int:
    due = lifecycle_reminders(on, months)
    if not due:
        return 0
    staff = list(district_staff_users())
    unions: dict[int, list] = {}
    for user in User.objects.filter(
        is_active=True,
        role=Role.ENTERPRISE_UNION,
        enterprise_id__in={studio.enterprise_id for _k, studio, *_rest in due},
    ):
        unions.setdefault(user.enterprise_id, []).append(user)
    messages = [
        _message(
            kind,
            studio,
            day,
            threshold,
            TITLES[kind],
            staff + unions.get(studio.enterprise_id, []),
            object_id,
        )
        for kind, studio, day, threshold, object_id in due
    ]
    return notify_many(messages)
