"""Results are computed in the database (R17): mean or trimmed mean, spread, bonus, rank."""

import random
import statistics
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse

from reviews.round_models import (
    AggregationMethod,
    Assignment,
    AssignmentState,
    RoundEntry,
    RoundStatus,
)
from reviews.round_queries import results_for
from reviews.round_views import RESULTS_DEFAULT_PER_PAGE, RESULTS_PAGE_SIZES
from studios.models import Studio
from tests.factories.accounts import DistrictStaffFactory, ExpertUserFactory
from tests.factories.rounds import ReviewRoundFactory, RoundEntryFactory, snapshot_of
from tests.factories.studios import EnterpriseFactory

pytestmark = pytest.mark.django_db
D = Decimal


def _score(entry, totals, state=AssignmentState.SUBMITTED):
    for total in totals:
        Assignment.objects.create(
            entry=entry, expert=ExpertUserFactory(), state=state, total=D(total)
        )


def test_r17_trimmed_mean_on_five_scores_matches_hand_computation():
    review_round = ReviewRoundFactory(method=AggregationMethod.TRIMMED_MEAN)
    entry = RoundEntryFactory(round=review_round)
    _score(entry, ["90", "70", "80", "85", "60"])
    row = results_for(review_round).get(pk=entry.pk)
    # drop 90 and 60: (70 + 80 + 85) / 3 = 78.33
    assert row.n_scores == 5
    assert row.aggregate == D("78.33")
    assert row.final == D("78.33")


def test_r17_fewer_than_five_scores_use_the_plain_mean():
    review_round = ReviewRoundFactory(method=AggregationMethod.TRIMMED_MEAN)
    entry = RoundEntryFactory(round=review_round)
    _score(entry, ["90", "70", "80"])
    assert results_for(review_round).get(pk=entry.pk).aggregate == D("80.00")


def test_r17_mean_method_keeps_every_score():
    review_round = ReviewRoundFactory(method=AggregationMethod.MEAN)
    entry = RoundEntryFactory(round=review_round)
    _score(entry, ["90", "70", "80", "85", "60"])
    assert results_for(review_round).get(pk=entry.pk).aggregate == D("77.00")


def test_drafts_do_not_count_and_unscored_entries_come_last():
    review_round = ReviewRoundFactory()
    scored, unscored = RoundEntryFactory(round=review_round), RoundEntryFactory(round=review_round)
    _score(scored, ["70"])
    _score(unscored, ["99"], state=AssignmentState.DRAFT)
    rows = list(results_for(review_round))
    assert [r.pk for r in rows] == [scored.pk, unscored.pk]
    assert rows[1].final is None and rows[1].n_scores == 0


def test_r19_bonus_is_added_to_the_final_score_not_the_expert_score():
    review_round = ReviewRoundFactory()
    entry = RoundEntryFactory(round=review_round, bonus=D("8"))
    _score(entry, ["70", "72"])
    row = results_for(review_round).get(pk=entry.pk)
    assert (row.aggregate, row.bonus, row.final) == (D("71.00"), D("8.00"), D("79.00"))


def test_spread_is_the_population_standard_deviation():
    review_round = ReviewRoundFactory()
    entry = RoundEntryFactory(round=review_round)
    _score(entry, ["60", "80"])
    row = results_for(review_round).get(pk=entry.pk)
    assert abs(D(str(row.spread)) - D("10")) < D("0.01")


def _big_round(n_entries, n_experts, rng):
    """``n_entries`` × ``n_experts`` submitted scores, written in bulk."""
    review_round = ReviewRoundFactory(method=AggregationMethod.TRIMMED_MEAN)
    review_round.status = RoundStatus.CLOSED
    review_round.save()
    enterprise = EnterpriseFactory()
    studios = Studio.objects.bulk_create(
        Studio(
            enterprise=enterprise,
            name=f"批量工作室{i}",
            type="technical",
            founded_on="2020-01-01",
            area_m2=D("30"),
        )
        for i in range(n_entries)
    )
    entries = RoundEntry.objects.bulk_create(
        RoundEntry(
            round=review_round,
            studio=s,
            snapshot=snapshot_of(s),
            bonus=D(rng.choice(["0", "3", "5", "8", "10"])),
        )
        for s in studios
    )
    experts = [ExpertUserFactory() for _ in range(n_experts)]
    Assignment.objects.bulk_create(
        Assignment(
            entry=entry,
            expert=expert,
            state=AssignmentState.SUBMITTED,
            total=D(rng.randint(5000, 10000)) / 100,
        )
        for entry in entries
        for expert in experts
    )
    return review_round


def _python_ranking(review_round) -> list[tuple[int, Decimal]]:
    """The same computation, row by row in plain Python, for comparison."""
    scores = {}
    for entry_id, total in Assignment.objects.filter(entry__round=review_round).values_list(
        "entry_id", "total"
    ):
        scores.setdefault(entry_id, []).append(D(total))
    bonus = dict(RoundEntry.objects.filter(round=review_round).values_list("pk", "bonus"))
    finals = []
    for entry_id, totals in scores.items():
        kept = sorted(totals)[1:-1] if len(totals) >= 5 else totals
        mean = (sum(kept) / len(kept)).quantize(D("0.01"), rounding=ROUND_HALF_UP)
        finals.append((entry_id, mean + D(bonus[entry_id])))
    return sorted(finals, key=lambda pair: (-pair[1], pair[0]))


def test_results_of_300_entries_by_5_experts_match_a_plain_python_ranking():
    review_round = _big_round(300, 5, random.Random(4))
    rows = list(results_for(review_round))
    expected = _python_ranking(review_round)
    assert [(r.pk, r.final) for r in rows] == expected
    # ranks are 1-based and ties share a rank
    assert rows[0].rank == 1
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.rank == (before.rank if after.final == before.final else rows.index(after) + 1)
    spreads = {r.pk: r.spread for r in rows}
    some = rows[17]
    totals = [
        float(t) for t in Assignment.objects.filter(entry=some).values_list("total", flat=True)
    ]
    assert abs(float(spreads[some.pk]) - statistics.pstdev(totals)) < 0.01


@pytest.mark.parametrize("n_entries", [20, 300])
def test_results_page_query_count_does_not_grow_with_entries(
    n_entries, client, django_assert_max_num_queries
):
    review_round = _big_round(n_entries, 5, random.Random(n_entries))
    client.force_login(DistrictStaffFactory())
    url = reverse("reviews:round_results", args=[review_round.pk])
    with django_assert_max_num_queries(9):
        response = client.get(url)
    assert response.status_code == 200
    shown = min(n_entries, RESULTS_DEFAULT_PER_PAGE)
    assert response.content.count(b'class="result-row"') == shown
    with django_assert_max_num_queries(9):
        everything = client.get(url, {"per_page": max(RESULTS_PAGE_SIZES)})
    assert everything.content.count(b'class="result-row"') == n_entries


def test_results_are_paged_and_the_ranks_run_on_across_pages(client):
    """Page 2 starts at rank 51: the ranking is over the whole round, not over one page."""
    review_round = _big_round(120, 5, random.Random(7))
    client.force_login(DistrictStaffFactory())
    url = reverse("reviews:round_results", args=[review_round.pk])
    second = client.get(url, {"page": 2})
    n = RESULTS_DEFAULT_PER_PAGE
    whole = [(r.pk, r.rank) for r in results_for(review_round)]
    assert [(r.pk, r.rank) for r in second.context["rows"]] == whole[n : 2 * n]
    assert whole[n][1] > 1
    first = client.get(url, {"per_page": "999999"})  # not an offered size: the default
    assert len(first.context["rows"]) == RESULTS_DEFAULT_PER_PAGE
    assert [r.rank for r in first.context["rows"]][0] == 1
