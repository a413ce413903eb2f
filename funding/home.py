"""Home-page panels of the funds; each runs a constant number of queries."""

from studios.queries import studios_visible_to

from . import queries
from .models import Sanction, SanctionKind, SanctionStatus


def finance_panel(request) -> dict:
    figures = queries.dashboard_figures()
    pending = queries.pending_disbursements()
    return {
        "totals": figures["totals"],
        "pending": list(pending.order_by("recorded_at")[:5]),
        "pending_count": pending.count(),
        "expenditure_reversals": queries.pending_expenditure_reversals().count(),
        "user_id": request.user.pk,
    }


def auditor_panel(request) -> dict:
    figures = queries.dashboard_figures()
    return {
        "totals": figures["totals"],
        "suspended_count": Sanction.objects.filter(
            kind=SanctionKind.SUSPEND, status=SanctionStatus.IN_FORCE
        ).count(),
    }


def union_panel(request) -> dict:
    """R27: the union sees, per studio, what it was granted, received, spent and still holds."""
    studios = list(studios_visible_to(request.user).filter(grants__isnull=False).distinct())
    money = queries.money_by_studio(s.pk for s in studios)
    return {"rows": [(s, money[s.pk]) for s in studios]}
