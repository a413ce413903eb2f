"""The lists staff work from (R17, R24, R25, R32): who is due for the next-year re-review, whose
cycle ends within a window, which rectifications fall due, and who meets an automatic ground
for revocation. Each is a queryset (or a list of flags) computed in a constant number of
queries; ``schedule_studio_ids`` hands the studio ids of every list to whoever builds a review
round from them."""

from datetime import date

from django.db.models import Min, Q

from core import policy
from core.dates import add_months

from .hooks import R32_FLAG_PROVIDERS, R32Flag
from .lifecycle_models import Rectification, RectificationOutcome
from .models import Studio, StudioStatus

NEXT_YEAR, EXPIRING, RECTIFICATION, R32 = "next_year", "expiring", "rectification", "r32"
LISTS = (NEXT_YEAR, EXPIRING, RECTIFICATION, R32)


def default_window() -> int:
    """The expiry window in calendar months (R24 "within 6 months")."""
    return policy.R24_DEFAULT_EXPIRY_WINDOW_MONTHS


def _first_day_of_due_year(on: date) -> date:
    """Studios recognised before this day are due (or overdue) for their R17 re-review."""
    return date(on.year - policy.R17_REREVIEW_AFTER_YEARS + 1, 1, 1)


def due_for_next_year_rereview(on: date):
    """R17: recognised in year Y, still awaiting the re-review, and Y+1 has come."""
    return Studio.objects.filter(
        status=StudioStatus.RECOGNISED, recognised_on__lt=_first_day_of_due_year(on)
    )


def with_open_cycle_end(qs):
    return qs.annotate(
        cycle_ends_on=Min("cycles__ends_on", filter=Q(cycles__closed_on__isnull=True))
    )


def window_end(on: date, months: int | None = None) -> date:
    """The last day of an expiry window of ``months`` calendar months from ``on``."""
    return add_months(on, default_window() if months is None else months)


def cycle_ending_within(on: date, months: int | None = None):
    """R24: in cycle, not yet taken into its re-review, and the cycle ends within the window of
    ``months`` calendar months (overdue ones included: they are also flagged under R32 (2))."""
    return with_open_cycle_end(Studio.objects.filter(status=StudioStatus.IN_CYCLE)).filter(
        cycle_ends_on__lte=window_end(on, months)
    )


def in_rectification():
    """R25: studios under an order to rectify, with the deadline."""
    return Studio.objects.filter(
        status=StudioStatus.RECTIFICATION, rectifications__outcome=RectificationOutcome.PENDING
    ).annotate(deadline=Min("rectifications__deadline"))


def _r32_1_flags(on: date) -> list[R32Flag]:
    late = Rectification.objects.filter(
        outcome=RectificationOutcome.PENDING, deadline__lt=on
    ).values_list("studio_id", "deadline")
    return [
        R32Flag(
            studio_id=studio_id,
            reason=1,
            rule="R32-1",
            message_zh=f"整改期限 {deadline:%Y-%m-%d} 已过，尚未通过复查",
            message_en=f"Rectification deadline {deadline:%Y-%m-%d} passed without a re-check",
            numbers={"deadline": deadline.isoformat()},
        )
        for studio_id, deadline in late
    ]


def _r32_2_flags(on: date) -> list[R32Flag]:
    flags = []
    overdue_next_year = Studio.objects.filter(
        status=StudioStatus.RECOGNISED,
        recognised_on__lt=date(on.year - policy.R17_REREVIEW_AFTER_YEARS, 1, 1),
    ).values_list("pk", "recognised_on")
    for studio_id, recognised_on in overdue_next_year:
        due_year = recognised_on.year + policy.R17_REREVIEW_AFTER_YEARS
        flags.append(
            R32Flag(
                studio_id=studio_id,
                reason=2,
                rule="R32-2",
                message_zh=f"{recognised_on.year}年认定，{due_year}年未参加次年复审",
                message_en=(
                    f"Recognised in {recognised_on.year}; no next-year re-review in {due_year}"
                ),
                numbers={"due_year": due_year},
            )
        )
    ended = (
        with_open_cycle_end(Studio.objects.filter(status=StudioStatus.IN_CYCLE))
        .filter(cycle_ends_on__lt=on)
        .values_list("pk", "cycle_ends_on")
    )
    for studio_id, ends_on in ended:
        flags.append(
            R32Flag(
                studio_id=studio_id,
                reason=2,
                rule="R32-2",
                message_zh=f"管理周期已于 {ends_on:%Y-%m-%d} 结束，未参加周期复审",
                message_en=f"Cycle ended {ends_on:%Y-%m-%d} with no cycle re-review",
                numbers={"cycle_ended": ends_on.isoformat()},
            )
        )
    return flags


def r32_flags(on: date) -> list[R32Flag]:
    """Every automatically detected ground for revocation as of ``on``, for studios that still
    hold the title: ours (1) and (2), and whatever the registered providers (ledgers: 4) say."""
    flags = _r32_1_flags(on) + _r32_2_flags(on)
    for provider in R32_FLAG_PROVIDERS:
        flags.extend(provider(on))
    return flags


def r32_flags_by_studio(on: date) -> dict[int, list[R32Flag]]:
    holders = set(Studio.objects.filter(status__in=HOLDS_TITLE).values_list("pk", flat=True))
    by_studio: dict[int, list[R32Flag]] = {}
    for flag in r32_flags(on):
        if flag.studio_id in holders:
            by_studio.setdefault(flag.studio_id, []).append(flag)
    return by_studio


HOLDS_TITLE = (
    StudioStatus.RECOGNISED,
    StudioStatus.IN_CYCLE,
    StudioStatus.UNDER_REREVIEW,
    StudioStatus.RECTIFICATION,
)


def schedule_studio_ids(on: date, months: int | None = None) -> dict[str, list[int]]:
    """The studio ids of each list, for building a review round from a list in one step (the
    reviews app does that; the lifecycle only says who is on which list)."""
    ids = lambda qs: sorted(qs.values_list("pk", flat=True))  # noqa: E731
    return {
        NEXT_YEAR: ids(due_for_next_year_rereview(on)),
        EXPIRING: ids(cycle_ending_within(on, months)),
        RECTIFICATION: ids(in_rectification()),
        R32: sorted(r32_flags_by_studio(on)),
    }
