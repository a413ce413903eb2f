"""Home-page panels of review rounds; each runs a constant number of queries."""

from django.db.models import Count, Q

from .round_models import AssignmentState, ReviewRound, RoundStatus
from .round_queries import assignment_list_of, rounds_with_counts


def expert_panel(request) -> dict:
    assignments = list(
        assignment_list_of(request.user).filter(
            entry__round__status__in=[RoundStatus.SCORING, RoundStatus.DRAFT]
        )
    )
    counts = dict.fromkeys(AssignmentState.values, 0)
    for a in assignments:
        counts[a.state] += 1
    return {
        "assignments": assignments,
        "todo": counts[AssignmentState.ASSIGNED] + counts[AssignmentState.DRAFT],
        "done": counts[AssignmentState.SUBMITTED],
    }


def staff_rounds_panel(request) -> dict:
    rounds = list(
        rounds_with_counts(ReviewRound.objects.exclude(status=RoundStatus.FINISHED))
        .annotate(
            n_pending_decisions=Count(
                "entries__decision", filter=Q(entries__decision__state="pending"), distinct=True
            )
        )
        .order_by("scoring_deadline", "pk")[:6]
    )
    return {"rounds": rounds}
