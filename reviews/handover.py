"""Where a review decision that has taken effect hands over to the studio's lifecycle
(``studios.lifecycle``, R16, R17, R24, R25).

Every call into the lifecycle is in this one module, each import lazy, so the reviews app does
not depend on the lifecycle's internals and a signature change is a one-place fix. Tests replace
these functions with fakes. ``hand_over`` runs inside the sign-off's transaction: if the
lifecycle refuses (say the studio is no longer in a state the outcome applies to), the sign-off
rolls back with it and the decision stays pending.
"""

from .round_models import DecisionOutcome, RoundKind


def recognise_studio(studio, actor, on, reason=""):
    """R16: the initial round recognised the studio (provisional until its R17 re-review)."""
    from studios import lifecycle

    return lifecycle.recognise(studio, actor, on=on, reason=reason)


def record_next_year_rereview(studio, actor, passed: bool, on, reason=""):
    """R17: the next-year re-review passed (cycle 1 starts, R26a follows) or failed."""
    from studios import lifecycle

    return lifecycle.record_next_year_rereview(studio, actor, passed, on=on, reason=reason)


def record_cycle_rereview(studio, actor, outcome: str, on, star=False, deadline=None, reason=""):
    """R24, R25: pass (``star`` for 创新活力之星), rectify by ``deadline``, or delist."""
    from studios import lifecycle

    return lifecycle.record_cycle_rereview(
        studio,
        actor,
        outcome,
        on=on,
        star=star,
        rectification_deadline=deadline,
        reason=reason,
        what=reason,
    )


def record_rectification_recheck(studio, actor, passed: bool, on, reason=""):
    """R25: the rectification re-check passed (a new cycle starts) or the studio is delisted."""
    from studios import lifecycle

    return lifecycle.record_rectification_recheck(studio, actor, passed, on=on, reason=reason)


def hand_over(decision, actor, on) -> None:
    """Apply an effective decision to the studio through the lifecycle's own services."""
    entry = decision.entry
    kind, outcome, studio = entry.round.kind, decision.outcome, entry.studio
    reason = decision.reason
    if kind == RoundKind.INITIAL:
        if outcome == DecisionOutcome.RECOGNISE:
            recognise_studio(studio, actor, on, reason)
        return  # not recognised: the studio stays an applicant; nothing to hand over
    if kind == RoundKind.NEXT_YEAR:
        record_next_year_rereview(studio, actor, outcome == DecisionOutcome.PASS, on, reason)
        return
    if kind == RoundKind.CYCLE:
        cycle_outcome = {
            DecisionOutcome.PASS: "pass",
            DecisionOutcome.PASS_STAR: "pass",
            DecisionOutcome.RECTIFY: "rectify",
            DecisionOutcome.DELIST: "delist",
        }[outcome]
        record_cycle_rereview(
            studio,
            actor,
            cycle_outcome,
            on,
            star=outcome == DecisionOutcome.PASS_STAR,
            deadline=decision.rectification_deadline,
            reason=reason,
        )
        return
    if kind == RoundKind.RECTIFICATION:
        record_rectification_recheck(studio, actor, outcome == DecisionOutcome.PASS, on, reason)
