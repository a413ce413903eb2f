"""Who may do what with the funds (R26–R29). Auditors (R27) read everything and change nothing:
no write permission below includes them."""

import rules

from accounts.rules import (
    is_admin,
    is_district_staff,
    is_enterprise_union,
    is_finance,
    reads_funds,
)


@rules.predicate
def studio_of_own_enterprise(user, obj):
    """The object (a studio, or anything with a ``studio``) belongs to the user's enterprise."""
    studio = getattr(obj, "studio", obj)
    return studio is not None and user.enterprise_id == getattr(studio, "enterprise_id", None)


own_studio_union = is_enterprise_union & studio_of_own_enterprise
manages_sanctions = is_finance | is_district_staff | is_admin

rules.add_perm("funding.view_dashboard", reads_funds)
rules.add_perm("funding.list_grants", reads_funds | is_enterprise_union)
rules.add_perm("funding.view_studio_funds", reads_funds | own_studio_union)
rules.add_perm("funding.view_money_files", reads_funds | own_studio_union)
rules.add_perm("funding.export_money", reads_funds)
rules.add_perm("funding.record_disbursement", is_finance | is_admin)
rules.add_perm("funding.approve_disbursement", is_finance | is_admin)
rules.add_perm("funding.reverse_disbursement", is_finance | is_admin)
rules.add_perm("funding.record_expenditure", own_studio_union | is_admin)
rules.add_perm("funding.reverse_expenditure", own_studio_union | is_admin)
# R27: a correction of spending takes effect only when a finance user approves it.
rules.add_perm("funding.approve_expenditure_reversal", is_finance | is_admin)
rules.add_perm("funding.list_sanctions", reads_funds)
rules.add_perm("funding.record_sanction", manages_sanctions)
rules.add_perm("funding.lift_suspension", manages_sanctions)
rules.add_perm("funding.record_repayment", is_finance | is_admin)
rules.add_perm("funding.view_sanction_evidence", reads_funds)
