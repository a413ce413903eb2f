"""The district dashboard's numbers: a handful of grouped queries, whatever the district's size.
The page draws them with the vendored Chart.js and prints them as tables too, so a printout
reads without the charts."""

from collections import defaultdict
from datetime import date

from django.db.models import Count
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils import timezone

from studios.models import Studio, StudioStatus, StudioType

from .compliance import NOT_ASSESSED, compliance_rows
from .models import Activity, Patent, PatentKind

ENDED_STATUSES = (StudioStatus.DELISTED, StudioStatus.REVOKED)
MONTHS = 12
PATENT_YEARS = 6
COMPLIANCE_YEARS = 3


def _month_starts(today: date, count: int) -> list[date]:
    months, year, month = [], today.year, today.month
    for _ in range(count):
        months.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(months))


def studios_by_type_and_status():
    counts = {
        (row["type"], row["status"]): row["n"]
        for row in Studio.objects.values("type", "status").annotate(n=Count("pk")).order_by()
    }
    return {
        "labels": [str(label) for _v, label in StudioStatus.choices],
        "datasets": [
            {
                "label": str(type_label),
                "data": [counts.get((type_value, s), 0) for s, _l in StudioStatus.choices],
            }
            for type_value, type_label in StudioType.choices
        ],
    }


def activities_per_month(today: date):
    months = _month_starts(today, MONTHS)
    rows = (
        Activity.objects.filter(held_on__gte=months[0], held_on__lte=today)
        .annotate(month=TruncMonth("held_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {_as_date(r["month"]): r["n"] for r in rows}
    return {
        "labels": [f"{m:%Y-%m}" for m in months],
        "datasets": [{"label": "", "data": [counts.get(m, 0) for m in months]}],
    }


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def patents_per_year(today: date):
    years = list(range(today.year - PATENT_YEARS + 1, today.year + 1))
    rows = (
        Patent.objects.filter(granted_on__year__gte=years[0], granted_on__year__lte=years[-1])
        .annotate(year=ExtractYear("granted_on"))
        .values("year", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {(r["year"], r["kind"]): r["n"] for r in rows}
    return {
        "labels": [str(y) for y in years],
        "datasets": [
            {"label": str(label), "data": [counts.get((y, kind), 0) for y in years]}
            for kind, label in PatentKind.choices
        ],
    }


def compliance_rate_by_type(today: date):
    """Share of active studios (not delisted or revoked) meeting every R14 duty, by type, for
    the last completed years."""
    years = list(range(today.year - COMPLIANCE_YEARS, today.year))
    studios = Studio.objects.exclude(status__in=ENDED_STATUSES).only("pk", "type", "founded_on")
    met = defaultdict(int)
    assessed = defaultdict(int)
    for studio, by_year in compliance_rows(studios, years, today):
        for sy in by_year:
            if sy.status == NOT_ASSESSED:
                continue
            assessed[(studio.type, sy.year)] += 1
            if all(r.ok for r in sy.r14_results):
                met[(studio.type, sy.year)] += 1
    return {
        "labels": [str(label) for _v, label in StudioType.choices],
        "datasets": [
            {
                "label": str(y),
                "data": [
                    round(100 * met[(t, y)] / assessed[(t, y)]) if assessed[(t, y)] else 0
                    for t, _l in StudioType.choices
                ],
                "counts": [f"{met[(t, y)]}/{assessed[(t, y)]}" for t, _l in StudioType.choices],
            }
            for y in years
        ],
    }


def dashboard_data(today: date | None = None) -> dict:
    today = today or timezone.localdate()
    return {
        "by_type_status": studios_by_type_and_status(),
        "activities_by_month": activities_per_month(today),
        "patents_by_year": patents_per_year(today),
        "compliance_by_type": compliance_rate_by_type(today),
    }
