"""How funding's audit events read, and who reads them (``audit.registry``).

Finance and auditors read every money event (Art. 27). The applicant reads what changes its
money and why (grants, payments made or reversed, its own spending, findings and sanctions with
their reasons), not finance's internal four-eyes steps (a payment recorded and awaiting the
second finance user, or rejected by them: pending money is never shown as received)."""

from django.utils.translation import gettext_lazy as _

from audit.registry import APPLICANT, AUDITOR, FINANCE, ActionSpec

_MONEY = {FINANCE, AUDITOR}


def _everyone(label):
    """The applicant reads it, with its reason; finance and auditors too."""
    return ActionSpec(label=label, audiences=_MONEY | {APPLICANT}, applicant_reason=True)


def _money_only(label):
    return ActionSpec(label=label, audiences=_MONEY)


ACTIONS = {
    "funding.grant_created": _everyone(_("Support grant granted (Art. 26)")),
    "funding.grant_cancelled": _everyone(_("Support grant cancelled (Art. 29)")),
    "funding.disbursement_recorded": _money_only(_("Payment recorded, awaiting approval")),
    "funding.disbursement_approved": _everyone(_("Payment approved and paid")),
    "funding.disbursement_rejected": _money_only(_("Payment rejected")),
    "funding.disbursement_reversed": _everyone(_("Payment reversed")),
    # R27: a reversal is recorded by one finance user and decided by another; the applicant
    # reads only the approved one (pending or rejected, nothing moved).
    "funding.disbursement_reversal_recorded": _money_only(
        _("Reversal of a payment recorded, awaiting a second finance user (Art. 27)")
    ),
    "funding.disbursement_reversal_approved": _everyone(
        _("Reversal of a payment approved (Art. 27)")
    ),
    "funding.disbursement_reversal_rejected": _money_only(
        _("Reversal of a payment rejected (Art. 27)")
    ),
    "funding.expenditure_recorded": _everyone(_("Spending recorded (Art. 28)")),
    "funding.expenditure_reversed": _everyone(_("Spending reversed")),
    # The union records a reversal of its own spending and reads how finance decided it.
    "funding.expenditure_reversal_recorded": _everyone(
        _("Reversal of spending recorded, awaiting a finance user (Art. 27)")
    ),
    "funding.expenditure_reversal_approved": _everyone(
        _("Reversal of spending approved (Art. 27)")
    ),
    "funding.expenditure_reversal_rejected": _everyone(
        _("Reversal of spending rejected (Art. 27)")
    ),
    "funding.repayment_recorded": _everyone(_("Recovered funds repaid")),
    "funding.violation_recorded": _everyone(_("Funds violation recorded (Art. 29)")),
    # ``funding.sanction_<kind>`` for each ``SanctionKind``
    "funding.sanction_suspend": _everyone(_("Funds suspended (Art. 29)")),
    "funding.sanction_recover": _everyone(_("Recovery of paid funds ordered (Art. 29)")),
    "funding.sanction_cancel": _everyone(_("Grant cancellation ordered (Art. 29)")),
    "funding.sanction_bar": _everyone(_("Re-application barred (Art. 29)")),
    "funding.suspension_lifted": _everyone(_("Funds suspension lifted")),
}
