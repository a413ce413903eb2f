"""How the ledgers' audit events read, and who reads them (``audit.registry``): the ledgers are
the studio's own records, kept by its union, so the applicant reads them in full."""

from django.utils.translation import gettext_lazy as _

from audit.registry import APPLICANT, ActionSpec

_LEDGERS = {
    "activities": _("Activity ledger"),
    "projects": _("Innovation projects"),
    "patents": _("Patents"),
    "achievements": _("Achievements"),
    "development": _("Member development ledger"),
}
_VERBS = {
    "added": _("%(ledger)s: entry added"),
    "updated": _("%(ledger)s: entry changed"),
    "deleted": _("%(ledger)s: entry deleted"),
    "imported": _("%(ledger)s: entries imported from Excel"),
}


class _Label:
    """Rendered lazily, so the timeline shows it in the reader's language."""

    def __init__(self, verb, ledger):
        self.verb, self.ledger = verb, ledger

    def __str__(self):
        return str(_VERBS[self.verb]) % {"ledger": self.ledger}


def _spec(label):
    return ActionSpec(label=label, audiences={APPLICANT}, applicant_reason=True)


ACTIONS = {
    f"ledger.{slug}.{verb}": _spec(_Label(verb, name))
    for slug, name in _LEDGERS.items()
    for verb in _VERBS
}
ACTIONS["ledger.activities.evidence_added"] = _spec(_("Activity ledger: evidence attached"))
