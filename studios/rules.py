"""Who may do what with enterprises and studios (R20: tiered management)."""

import rules

from accounts.rules import is_admin, is_auditor, is_district_staff, is_enterprise_union, is_finance


@rules.predicate
def belongs_to_enterprise(user, enterprise):
    """The user is the union of this enterprise."""
    return enterprise is not None and user.enterprise_id == enterprise.pk


@rules.predicate
def belongs_to_studio_enterprise(user, studio):
    """The user is the union of the enterprise that runs this studio."""
    return studio is not None and user.enterprise_id == studio.enterprise_id


sees_all_studios = is_district_staff | is_admin
own_studio = is_enterprise_union & belongs_to_studio_enterprise
own_enterprise = is_enterprise_union & belongs_to_enterprise

rules.add_perm(
    "studios.list_studios", sees_all_studios | is_enterprise_union | is_finance | is_auditor
)
rules.add_perm("studios.view_studio", sees_all_studios | is_finance | is_auditor | own_studio)
rules.add_perm("studios.add_studio", is_enterprise_union)
rules.add_perm("studios.change_studio", own_studio | is_admin)
rules.add_perm("studios.view_studio_documents", sees_all_studios | own_studio)
rules.add_perm("studios.export_studios", sees_all_studios | is_finance | is_auditor)

rules.add_perm("studios.list_enterprises", sees_all_studios | is_finance | is_auditor)
rules.add_perm(
    "studios.view_enterprise", sees_all_studios | is_finance | is_auditor | own_enterprise
)
rules.add_perm("studios.add_enterprise", sees_all_studios)
rules.add_perm("studios.change_enterprise", sees_all_studios | own_enterprise)
rules.add_perm("studios.view_my_enterprise", is_enterprise_union)

# --- The lifecycle (R16, R17, R23–R25, R30, R32) -----------------------------------------
rules.add_perm("studios.decide_lifecycle", sees_all_studios)
rules.add_perm("studios.view_schedules", sees_all_studios)
rules.add_perm("studios.request_rename", own_studio)
rules.add_perm("studios.decide_rename", sees_all_studios)
rules.add_perm("studios.manage_certificates", sees_all_studios)
rules.add_perm("studios.recommend_municipal", sees_all_studios)
