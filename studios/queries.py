"""Read-side querysets: what each page needs, fetched in a constant number of queries."""

from datetime import date

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.dateparse import parse_date

from accounts.rules import is_admin, is_auditor, is_district_staff, is_finance

from .models import Enterprise, Leader, Studio, StudioStatus

#: The lifecycle moves that end a studio's title (R17, R25, R32): their audit events (written by
#: ``lifecycle.transition`` as ``studio.<action>``) date the end.
TITLE_ENDING_EVENTS = ("studio.revoke", "studio.delist", "studio.fail_next_year_rereview")


def studios_visible_to(user):
    """R20: district staff (and readers of funds) see every studio; a union sees its own only.
    Views fetch through this, so another enterprise's studio is a 404, not a 403."""
    qs = Studio.objects.select_related("enterprise", "enterprise__industry")
    if is_district_staff(user) or is_admin(user) or is_finance(user) or is_auditor(user):
        return qs
    if user.is_authenticated and user.enterprise_id:
        return qs.filter(enterprise_id=user.enterprise_id)
    return qs.none()


def enterprises_visible_to(user):
    qs = Enterprise.objects.select_related("industry")
    if is_district_staff(user) or is_admin(user) or is_finance(user) or is_auditor(user):
        return qs
    if user.is_authenticated and user.enterprise_id:
        return qs.filter(pk=user.enterprise_id)
    return qs.none()


def with_eligibility_data(qs):
    """Everything ``check_eligibility`` reads, prefetched: three queries for any number of rows."""
    return qs.select_related("enterprise", "enterprise__industry").prefetch_related(
        "members",
        Prefetch("leaders", queryset=Leader.objects.prefetch_related("honours")),
    )


def with_team_counts(qs, on):
    active = Q(members__joined_on__lte=on) & (
        Q(members__left_on__isnull=True) | Q(members__left_on__gt=on)
    )
    return qs.annotate(team_size=Count("members", filter=active, distinct=True))


def title_lost_on(studio) -> date | None:
    """The day a revoked or delisted studio lost its title (None for any other studio): the
    effective date of the last lifecycle move that ended it, read from the audit log, which
    keeps every move."""
    if studio.status not in (StudioStatus.REVOKED, StudioStatus.DELISTED):
        return None
    from audit.models import AuditEvent

    event = (
        AuditEvent.objects.filter(studio_id=studio.pk, action__in=TITLE_ENDING_EVENTS)
        .order_by("-at", "-pk")
        .first()
    )
    if event is None:
        return None
    on = parse_date(str((event.after or {}).get("on") or ""))
    return on or timezone.localdate(event.at)
