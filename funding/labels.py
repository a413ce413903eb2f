"""How funding's audit events read on a studio's timeline."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "funding.grant_created": _("Support grant granted (Art. 26)"),
    "funding.grant_cancelled": _("Support grant cancelled (Art. 29)"),
    "funding.disbursement_recorded": _("Payment recorded, awaiting approval"),
    "funding.disbursement_approved": _("Payment approved and paid"),
    "funding.disbursement_rejected": _("Payment rejected"),
    "funding.disbursement_reversed": _("Payment reversed"),
    "funding.disbursement_reversal_recorded": _(
        "Reversal of a payment recorded, awaiting a second finance user (Art. 27)"
    ),
    "funding.disbursement_reversal_approved": _("Reversal of a payment approved (Art. 27)"),
    "funding.disbursement_reversal_rejected": _("Reversal of a payment rejected (Art. 27)"),
    "funding.expenditure_recorded": _("Spending recorded (Art. 28)"),
    "funding.expenditure_reversed": _("Spending reversed"),
    "funding.expenditure_reversal_recorded": _(
        "Reversal of spending recorded, awaiting a finance user (Art. 27)"
    ),
    "funding.expenditure_reversal_approved": _("Reversal of spending approved (Art. 27)"),
    "funding.expenditure_reversal_rejected": _("Reversal of spending rejected (Art. 27)"),
    "funding.repayment_recorded": _("Recovered funds repaid"),
    "funding.violation_recorded": _("Funds violation recorded (Art. 29)"),
    "funding.sanction_suspend": _("Funds suspended (Art. 29)"),
    "funding.sanction_recover": _("Recovery of paid funds ordered (Art. 29)"),
    "funding.sanction_cancel": _("Grant cancellation ordered (Art. 29)"),
    "funding.sanction_bar": _("Re-application barred (Art. 29)"),
    "funding.suspension_lifted": _("Funds suspension lifted"),
}
