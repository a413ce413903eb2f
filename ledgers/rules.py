"""Who may read and keep the ledgers (R20, R22). The enterprise union keeps its studios' ledgers;
district staff read every studio's and see the district compliance grid and dashboard."""

import rules

from accounts.rules import is_admin, is_auditor, is_district_staff, is_finance, is_logged_in
from studios.rules import own_enterprise, own_studio, sees_all_studios

rules.add_perm("ledgers.view_ledgers", sees_all_studios | is_finance | is_auditor | own_studio)
rules.add_perm("ledgers.change_ledgers", own_studio | is_admin)
rules.add_perm("ledgers.view_evidence", sees_all_studios | own_studio)
rules.add_perm("ledgers.export_enterprise_ledgers", sees_all_studios | own_enterprise)
rules.add_perm("ledgers.export_district_ledgers", sees_all_studios | is_auditor)
rules.add_perm("ledgers.view_compliance_grid", is_district_staff | is_admin)
rules.add_perm("ledgers.view_dashboard", is_district_staff | is_admin)
rules.add_perm("ledgers.download_template", is_logged_in)
