"""R19 bonus points (酌情加分): from the leader's honours as frozen in the entry's snapshot,
with staff corrections applied, valued with the round's own table and capped at the round's cap.

Each honour kind counts once, however many times it is recorded. The bonus is shown apart from
the expert score, with the honours that earned it.
"""

from dataclasses import dataclass
from decimal import Decimal

from core import policy


def default_bonus_values() -> dict[str, str]:
    """The round's copy of the defaults, as strings so the JSON keeps decimals exact."""
    return {kind: str(points) for kind, points in policy.R19_DEFAULT_BONUS.items()}


@dataclass(frozen=True)
class BonusLine:
    kind: str
    label: str
    points: Decimal
    corrected: bool


def honour_kinds(snapshot: dict, corrections) -> tuple[dict[str, str], set[str]]:
    """The leader's honour kinds → label, after corrections, and which kinds corrections added."""
    leader = snapshot.get("leader") or {}
    kinds = {h["kind"]: h.get("kind_label") or h["kind"] for h in leader.get("honours", [])}
    added = set()
    for correction in corrections:
        if correction.action == "add":
            kinds.setdefault(correction.honour_kind, _label(correction.honour_kind))
            added.add(correction.honour_kind)
        else:
            kinds.pop(correction.honour_kind, None)
            added.discard(correction.honour_kind)
    return kinds, added


def _label(kind: str) -> str:
    from studios.models import HonourKind

    try:
        return str(HonourKind(kind).label)
    except ValueError:
        return kind


def compute_bonus(snapshot: dict, corrections, values: dict, cap) -> tuple[Decimal, list[dict]]:
    """``(bonus, lines)``: the capped sum, and one line per honour that earns points."""
    kinds, added = honour_kinds(snapshot, corrections)
    lines = []
    for kind, label in kinds.items():
        points = Decimal(str(values.get(kind, "0")))
        if points > 0:
            lines.append(
                {"kind": kind, "label": label, "points": str(points), "corrected": kind in added}
            )
    total = sum((Decimal(line["points"]) for line in lines), Decimal("0"))
    return min(total, Decimal(str(cap))), lines
