"""How the reviews app's audit events read, and who reads them (``audit.registry``).

Applications are the union's own: it reads them with their reasons (a return comment or a
rejection is addressed to it). Of a review round the applicant reads only that its studio
entered review (``review_round.entered``, no names) and, once both bodies have signed, the
decision in effect with its outcome: never an expert's identity, a score, a conflict declaration,
a decision note or a pending sign-off (RULES: "their identity, individual scores and conflict
declarations are confidential to staff")."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.registry import APPLICANT, AUDITOR, ActionSpec


def _own(label):
    return ActionSpec(label=label, audiences={APPLICANT}, applicant_reason=True)


def _staff(label):
    return ActionSpec(label=label)


def _decision_outcome(event) -> str:
    from .round_models import DecisionOutcome, DecisionState

    after = event.after or {}
    parts = []
    if after.get("outcome") in DecisionOutcome.values:
        parts.append(str(DecisionOutcome(after["outcome"]).label))
    if after.get("state") in DecisionState.values:
        parts.append(str(DecisionState(after["state"]).label))
    return " · ".join(parts)


def _round_kind(event) -> str:
    from .round_models import RoundKind

    after = event.after or {}
    kind = after.get("kind")
    parts = [str(RoundKind(kind).label)] if kind in RoundKind.values else []
    if after.get("round"):
        parts.append(str(after["round"]))
    return " · ".join(parts)


def _signed(label):
    """A body's sign-off: the applicant reads only the one that made the decision effective."""
    return ActionSpec(
        label=label,
        audiences={APPLICANT, AUDITOR},
        applicant_only_if=Q(after__state="effective"),
        applicant_label=_("Review decision in effect"),
        describe=_decision_outcome,
    )


ACTIONS = {
    "call.created": _staff(_("Call for applications created")),
    "call.updated": _staff(_("Call for applications changed")),
    "call.published": ActionSpec(label=_("Call for applications published"), audiences={APPLICANT}),
    "application.started": _own(_("Application started")),
    "application.projects_saved": _own(_("Application: projects saved")),
    "application.results_saved": _own(_("Application: results saved")),
    "application.talent_saved": _own(_("Application: talent cultivation saved")),
    "application.material_added": _own(_("Application: material uploaded")),
    "application.material_removed": _own(_("Application: material removed")),
    # ``application.<action>`` for each action of ``services.TRANSITIONS``
    "application.submit": _own(_("Application submitted (recommended by the union, Art. 16)")),
    "application.withdraw": _own(_("Application withdrawn")),
    "application.accept": ActionSpec(
        label=_("Application accepted into review"),
        audiences={APPLICANT, AUDITOR},
        applicant_reason=True,
    ),
    "application.return": ActionSpec(
        label=_("Application returned for correction"),
        audiences={APPLICANT, AUDITOR},
        applicant_reason=True,
    ),
    "application.reject": ActionSpec(
        label=_("Application rejected"), audiences={APPLICANT, AUDITOR}, applicant_reason=True
    ),
    # Review rounds: staff's own work, and the experts' (confidential to staff).
    "review_round.created": _staff(_("Review round created")),
    "review_round.updated": _staff(_("Review round settings changed")),
    "review_round.rubric_saved": _staff(_("Scoring rubric saved")),
    "review_round.stage_updated": _staff(_("Review stage updated")),
    "review_round.honour_corrected": _staff(_("Honour bonus corrected (Art. 19)")),
    "review_round.auto_assigned": _staff(_("Experts assigned automatically")),
    "review_round.expert_assigned": _staff(_("Expert assigned to a studio")),
    "review_round.expert_unassigned": _staff(_("Expert withdrawn from a studio")),
    "review_round.conflict_declared": _staff(_("Conflict of interest declared by an expert")),
    "review_round.score_submitted": _staff(_("Expert score submitted")),
    "review_round.score_reopened": _staff(_("Expert score reopened for correction")),
    # ``review_round.<action>`` for each ``round_services.RoundAction``
    "review_round.open_scoring": _staff(_("Scoring opened")),
    "review_round.close_scoring": _staff(_("Scoring closed")),
    "review_round.reopen_scoring": _staff(_("Scoring reopened")),
    "review_round.finish": _staff(_("Review round finished")),
    # The one neutral event of a round the applicant reads: its studio is under review.
    "review_round.entered": ActionSpec(
        label=_("Entered a review round"),
        audiences={APPLICANT, AUDITOR},
        describe=_round_kind,
    ),
    "review_decision.recorded": ActionSpec(
        label=_("Review decision recorded, awaiting both sign-offs"),
        audiences={AUDITOR},
        describe=_decision_outcome,
    ),
    # ``review_decision.signed_<body>`` for each of ``round_services.SIGN_OFF_BODIES``
    "review_decision.signed_union": _signed(_("Review decision signed by the district union")),
    "review_decision.signed_bureau": _signed(
        _("Review decision signed by the S&T innovation bureau")
    ),
    "expert.profile_saved": _staff(_("Expert profile saved")),
}
