"""Read-side querysets of review rounds. Results are computed in the database: one query
annotates every entry with its submitted scores' count, sum, max, min and standard deviation,
the aggregate by the round's method (mean, or the trimmed mean dropping one highest and one
lowest score when at least 5 exist), bonus, final score and rank (a window function). A page's
query count does not depend on the number of entries or experts.
"""

from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    StdDev,
    Subquery,
    Sum,
    When,
    Window,
)
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast, Rank, Round

from accounts.rules import is_admin, is_district_staff

from .round_models import (
    AggregationMethod,
    Assignment,
    AssignmentState,
    ReviewRound,
    RoundEntry,
)

#: The trimmed mean needs at least this many scores (去掉一个最高分和一个最低分).
TRIMMED_MEAN_MIN_SCORES = 5

SCORE = DecimalField(max_digits=9, decimal_places=2)


class Exact(Func):
    """A decimal sum, divided exactly: SQLite stores whole-number decimals as integers and
    would divide them as integers, so there it is made real first; PostgreSQL's numeric is
    exact already."""

    template = "%(expressions)s"
    output_field = SCORE

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="(%(expressions)s * 1.0)")


def rounds_visible_to(user):
    if is_district_staff(user) or is_admin(user):
        return ReviewRound.objects.select_related("call")
    return ReviewRound.objects.none()


def rounds_with_counts(qs):
    return qs.annotate(
        n_entries=Count("entries", distinct=True),
        n_assignments=Count("entries__assignments", distinct=True),
        n_submitted=Count(
            "entries__assignments",
            filter=Q(entries__assignments__state=AssignmentState.SUBMITTED),
            distinct=True,
        ),
    )


def results_for(review_round: ReviewRound):
    """Every entry of the round, annotated and ranked, best first. Unscored entries come last
    with no rank."""
    submitted = Q(assignments__state=AssignmentState.SUBMITTED)
    total = "assignments__total"
    n = Count("assignments", filter=submitted)
    as_decimal = lambda expr: ExpressionWrapper(expr, output_field=SCORE)  # noqa: E731
    mean = as_decimal(Exact(F("score_sum")) / Cast(F("n_scores"), SCORE))
    trimmed = as_decimal(
        Exact(F("score_sum") - F("score_max") - F("score_min")) / Cast(F("n_scores") - 2, SCORE)
    )
    if review_round.method == AggregationMethod.TRIMMED_MEAN:
        aggregate = Case(
            When(n_scores__gte=TRIMMED_MEAN_MIN_SCORES, then=trimmed),
            When(n_scores__gt=0, then=mean),
            default=None,
            output_field=SCORE,
        )
    else:
        aggregate = Case(When(n_scores__gt=0, then=mean), default=None, output_field=SCORE)
    return (
        RoundEntry.objects.filter(round=review_round)
        .select_related("decision")
        .annotate(
            n_scores=n,
            n_assigned=Count("assignments"),
            score_sum=Sum(total, filter=submitted),
            score_max=Max(total, filter=submitted),
            score_min=Min(total, filter=submitted),
            spread=StdDev(total, filter=submitted),
        )
        .annotate(aggregate=Round(aggregate, 2, output_field=SCORE))
        .annotate(
            final=Case(
                When(n_scores__gt=0, then=Round(F("aggregate") + F("bonus"), 2)),
                default=None,
                output_field=SCORE,
            )
        )
        .annotate(
            rank=Window(
                Rank(),
                order_by=[
                    F("final").desc(nulls_last=True),
                ],
            )
        )
        .order_by(F("final").desc(nulls_last=True), "pk")
    )


def without_snapshots(entries_qs):
    """For lists of many entries: the studio's and enterprise's names come out of the frozen
    snapshots in the database (``studio_label``, ``enterprise_label``), and the snapshots
    themselves — tens of KB each — are not loaded. The names are read by a subquery per entry so
    that, on the aggregated results, the database does not group by them (which decompressed
    every snapshot once per assignment: 6 of the results query's 8 ms, by EXPLAIN ANALYZE)."""
    studio = KeyTransform("studio", "snapshot")
    own = RoundEntry.objects.filter(pk=OuterRef("pk"))
    return entries_qs.defer("snapshot", "bonus_detail").annotate(
        studio_label=Subquery(own.values(label=KeyTextTransform("name", studio))),
        enterprise_label=Subquery(own.values(label=KeyTextTransform("enterprise", studio))),
    )


def with_expert_totals(entries_qs):
    """Prefetch each entry's assignments in one more query: only state and total, the columns
    the results show — not five expert users per entry (measured by ``make bench``)."""
    return entries_qs.prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.only("pk", "entry_id", "state", "total").order_by(
                "expert__username"
            ),
        )
    )


def disagreement(entry, review_round: ReviewRound) -> bool:
    return entry.spread is not None and Decimal(str(entry.spread)) > review_round.spread_threshold


CENT = Decimal("0.01")


def tidy(row, review_round: ReviewRound):
    """Scores to the cent as the database computed them (SQLite hands back long decimals made
    from floats), and the flags the pages show."""
    for name in ("aggregate", "final"):
        value = getattr(row, name)
        if value is not None:
            setattr(row, name, Decimal(value).quantize(CENT))
    row.disagree = disagreement(row, review_round)
    row.no_rank = row.final is None
    return row


def annotate_flags(rows, review_round: ReviewRound) -> list:
    return [tidy(row, review_round) for row in rows]


def result_of(review_round: ReviewRound, entry):
    return tidy(results_for(review_round).get(pk=entry.pk), review_round)


def assignments_of(expert):
    """The expert's own assignments, with what the list shows, in one query."""
    return (
        Assignment.objects.filter(expert=expert)
        .select_related("entry__round", "entry__studio")
        .order_by("-entry__round__created_at", "entry_id")
    )


def assignment_list_of(expert):
    """``assignments_of`` for the lists: only the columns the list shows, and the names come out
    of the entries' snapshots in the database, by a subquery the database runs for the shown
    rows only — decoding whole snapshots (the application, often tens of KB each) for every
    assignment was most of the list's time (measured by ``make bench``)."""
    studio = KeyTransform("studio", "snapshot")
    own_entry = RoundEntry.objects.filter(pk=OuterRef("entry_id"))
    return (
        assignments_of(expert)
        .only(
            "pk",
            "entry_id",
            "expert_id",
            "state",
            "total",
            "entry__round_id",
            "entry__studio_id",
            "entry__round__name",
            "entry__round__status",
            "entry__round__scoring_deadline",
            "entry__studio__name",
        )
        .annotate(
            studio_label=Subquery(own_entry.values(label=KeyTextTransform("name", studio))),
            enterprise_label=Subquery(
                own_entry.values(label=KeyTextTransform("enterprise", studio))
            ),
        )
    )
