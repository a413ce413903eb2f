"""Human labels for the audit events a studio's timeline shows, in both languages, instead of
the raw action codes. Actions of other apps fall back to their code until they add a label
with ``register_labels``."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "studio.created": _("Studio registered"),
    "studio.updated": _("Studio details changed"),
    "studio.leader_appointed": _("Leader appointed"),
    "studio.leader_updated": _("Leader details changed"),
    "studio.honour_added": _("Leader honour recorded"),
    "studio.honour_removed": _("Leader honour removed"),
    "studio.member_added": _("Member added"),
    "studio.member_updated": _("Member details changed"),
    "studio.recognise": _("Recognised (awaiting the next-year re-review)"),
    "studio.pass_next_year_rereview": _("Passed the next-year re-review; cycle 1 started"),
    "studio.fail_next_year_rereview": _("Failed the next-year re-review"),
    "studio.start_cycle_rereview": _("Cycle re-review started"),
    "studio.pass_cycle_rereview": _("Passed the cycle re-review; a new cycle started"),
    "studio.order_rectification": _("Ordered to rectify"),
    "studio.pass_rectification": _("Passed the rectification re-check"),
    "studio.delist": _("Delisted"),
    "studio.revoke": _("Title revoked"),
    "studio.rename": _("Renamed"),
    "studio.recommended_to_municipal": _("Recommended to the municipal level"),
    "rename.requested": _("Rename requested"),
    "rename.approved": _("Rename request approved"),
    "rename.refused": _("Rename request refused"),
    "certificate.issued": _("Certificate issued"),
}


def register_labels(labels: dict) -> None:
    """Other apps add labels for their own actions from ``AppConfig.ready()``."""
    ACTION_LABELS.update(labels)


def label_for(action: str):
    return ACTION_LABELS.get(action, action)
