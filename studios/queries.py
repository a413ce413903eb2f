"""Read-side querysets: what each page needs, fetched in a constant number of queries."""

from django.db.models import Count, Prefetch, Q

from accounts.rules import is_admin, is_auditor, is_district_staff, is_finance

from .models import Enterprise, Leader, Studio


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
