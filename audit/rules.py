import rules

from accounts.rules import is_admin, is_auditor, is_district_staff

rules.add_perm("audit.view_log", is_district_staff | is_auditor | is_admin)
