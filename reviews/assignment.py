"""Who may review what, and the automatic, load-balanced assignment of experts to entries.

An expert never reviews a studio of their own employer, nor an entry they declared a conflict
with. The automatic assignment fills each entry up to the round's number of experts, always
taking the eligible experts with the fewest assignments in the round, so loads stay within one
of each other whenever the conflicts allow it. It reads everything in a few queries and plans
in memory; the service writes the plan in one ``bulk_create``.
"""

from collections import defaultdict


def employer_conflict(profile, entry) -> bool:
    """The expert works for the enterprise whose studio is under review."""
    if profile is None:
        return False
    snapshot_studio = entry.snapshot.get("studio") or {}
    enterprise_id = snapshot_studio.get("enterprise_id") or entry.studio.enterprise_id
    if profile.employer_id and profile.employer_id == enterprise_id:
        return True
    name = (profile.employer_name or "").strip()
    return bool(name) and name == (snapshot_studio.get("enterprise") or "").strip()


def conflict_reason(profile, entry, declared: set) -> str:
    """Empty if the expert may review the entry, otherwise why not."""
    if (entry.pk, profile.user_id) in declared:
        return "declared"
    if employer_conflict(profile, entry):
        return "employer"
    return ""


def plan_assignments(entries, profiles, existing, declared, per_entry: int, seed_loads=None):
    """Return ``[(entry, expert_id)]`` to add.

    ``existing`` is ``{entry_id: set(expert_ids)}``, ``declared`` a set of ``(entry_id,
    expert_id)`` conflicts. Entries with the fewest eligible experts are served first, so the
    constrained ones are not starved by the easy ones; ties between experts go to the lower load,
    then to the lower id (deterministic)."""
    loads = defaultdict(int, seed_loads or {})
    for expert_ids in existing.values():
        for expert_id in expert_ids:
            loads[expert_id] += 1
    eligible = {
        entry.pk: [p.user_id for p in profiles if not conflict_reason(p, entry, declared)]
        for entry in entries
    }
    plan = []
    for entry in sorted(entries, key=lambda e: (len(eligible[e.pk]), e.pk)):
        have = set(existing.get(entry.pk, ()))
        need = per_entry - len(have)
        candidates = [expert_id for expert_id in eligible[entry.pk] if expert_id not in have]
        while need > 0 and candidates:
            best = min(candidates, key=lambda expert_id: (loads[expert_id], expert_id))
            candidates.remove(best)
            plan.append((entry, best))
            loads[best] += 1
            need -= 1
    return plan
