"""The studio timeline's labels, read from the audit registry (``audit.registry``), where each
app registers its own actions with their audiences. Kept as a thin reader for old imports."""

from audit.registry import ActionSpec, label_for, register_actions, registered_actions


def register_labels(labels: dict) -> None:
    """Old API: labels without audiences. Registered for staff only (fail closed); register an
    ``audit.registry.ActionSpec`` with its audiences instead."""
    register_actions({code: ActionSpec(label=label) for code, label in labels.items()})


def action_labels() -> dict:
    return {code: spec.label for code, spec in registered_actions().items()}


__all__ = ["action_labels", "label_for", "register_labels"]
