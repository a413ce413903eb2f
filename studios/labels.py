"""How the studios app's audit events read, and who reads them (``audit.registry``).

The studio's own records (written by its union) are read by the applicant with their reasons;
lifecycle outcomes by the applicant, finance and auditors, without the free-text reason (on an
outcome handed over from a review decision it is the decision's note, which stays with staff)."""

from django.utils.translation import gettext_lazy as _

from audit.registry import APPLICANT, AUDITOR, FINANCE, ActionSpec

#: The studio's own records, kept by its union: the applicant reads them in full.
_OWN = {APPLICANT}
#: Outcomes: the applicant learns them; money follows them; auditors check them.
_OUTCOME = {APPLICANT, FINANCE, AUDITOR}


def _own(label):
    return ActionSpec(label=label, audiences=_OWN, applicant_reason=True)


def _outcome(label):
    return ActionSpec(label=label, audiences=_OUTCOME)


ACTIONS = {
    "enterprise.created": _own(_("Enterprise registered")),
    "enterprise.updated": _own(_("Enterprise details changed")),
    "studio.created": _own(_("Studio registered")),
    "studio.updated": _own(_("Studio details changed")),
    "studio.leader_appointed": _own(_("Leader appointed")),
    "studio.leader_updated": _own(_("Leader details changed")),
    "studio.honour_added": _own(_("Leader honour recorded")),
    "studio.honour_removed": _own(_("Leader honour removed")),
    "studio.member_added": _own(_("Member added")),
    "studio.member_updated": _own(_("Member details changed")),
    # The lifecycle (``studios.lifecycle.transition`` writes ``studio.<action>``).
    "studio.recognise": _outcome(_("Recognised (awaiting the next-year re-review)")),
    "studio.pass_next_year_rereview": _outcome(
        _("Passed the next-year re-review; cycle 1 started")
    ),
    "studio.fail_next_year_rereview": _outcome(_("Failed the next-year re-review")),
    "studio.start_cycle_rereview": _outcome(_("Cycle re-review started")),
    "studio.pass_cycle_rereview": _outcome(_("Passed the cycle re-review; a new cycle started")),
    "studio.order_rectification": _outcome(_("Ordered to rectify")),
    "studio.pass_rectification": _outcome(_("Passed the rectification re-check")),
    "studio.delist": _outcome(_("Delisted")),
    "studio.revoke": _outcome(_("Title revoked")),
    "studio.rename": _outcome(_("Renamed")),
    "studio.recommended_to_municipal": _outcome(_("Recommended to the municipal level")),
    # Rename requests: filed by the union; the answer (and a refusal's reason) is addressed to it.
    "rename.requested": _own(_("Rename requested")),
    "rename.approved": ActionSpec(
        label=_("Rename request approved"), audiences={APPLICANT, AUDITOR}, applicant_reason=True
    ),
    "rename.refused": ActionSpec(
        label=_("Rename request refused"), audiences={APPLICANT, AUDITOR}, applicant_reason=True
    ),
    "certificate.issued": _outcome(_("Certificate issued")),
    "certificate.batch_started": ActionSpec(label=_("Certificate batch started")),
    "certificate.batch_resumed": ActionSpec(label=_("Certificate batch resumed")),
}
