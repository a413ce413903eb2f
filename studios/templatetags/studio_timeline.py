from django import template
from django.utils.translation import gettext as _

from audit.registry import label_for, spec_for
from studios.models import StudioStatus

register = template.Library()


@register.filter
def event_label(event):
    """The label for the reader: a ``ReadableEvent`` carries its audience's label."""
    label = getattr(event, "label", None)
    return label if label is not None else label_for(event.action)


@register.filter
def event_detail(event) -> str:
    """One line saying what changed: status, name, leader, cycle, deadline, certificate."""
    before, after = event.before or {}, event.after or {}
    parts = []
    spec = spec_for(event.action)
    if spec is not None and spec.describe is not None:
        described = spec.describe(event)
        if described:
            parts.append(described)
    if "on" in after and event.action.startswith("studio."):
        parts.append(_("effective %(day)s") % {"day": after["on"]})
    if "status" in after and before.get("status") and before["status"] != after["status"]:
        parts.append(f"{_status(before['status'])} → {_status(after['status'])}")
    if "name" in after and before.get("name"):
        parts.append(_("name: %(old)s → %(new)s") % {"old": before["name"], "new": after["name"]})
    if "leader" in after and before.get("leader") is not None:
        parts.append(
            _("leader: %(old)s → %(new)s")
            % {"old": before.get("leader") or "—", "new": after["leader"] or "—"}
        )
    if "cycle" in after and "ends_on" in after:
        parts.append(
            _("cycle %(n)s until %(end)s") % {"n": after["cycle"], "end": after["ends_on"]}
        )
    if after.get("star"):
        parts.append(_("Innovation Vitality Star"))
    if "deadline" in after:
        parts.append(_("deadline %(day)s") % {"day": after["deadline"]})
    if "reasons" in after:
        parts.append(_("Article 32 reasons: %(n)s") % {"n": ", ".join(map(str, after["reasons"]))})
    if "number" in after:
        parts.append(_("No. %(number)s") % {"number": after["number"]})
    return " · ".join(parts)


def _status(value):
    try:
        return StudioStatus(value).label
    except ValueError:
        return value
