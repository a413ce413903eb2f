"""Who is who. Object-level predicates that combine these live in each app's rules.py."""

import rules

from .models import Role


def _has_role(*roles):
    @rules.predicate
    def predicate(user):
        return user.is_authenticated and user.is_active and user.role in roles

    predicate.__name__ = "is_" + "_or_".join(roles)
    return predicate


is_enterprise_union = _has_role(Role.ENTERPRISE_UNION)
is_district_union_staff = _has_role(Role.DISTRICT_UNION)
is_bureau_staff = _has_role(Role.BUREAU)
is_district_staff = _has_role(Role.DISTRICT_UNION, Role.BUREAU)
is_expert = _has_role(Role.EXPERT)
is_finance = _has_role(Role.FINANCE)
is_auditor = _has_role(Role.AUDITOR)
is_admin = rules.is_superuser | _has_role(Role.ADMIN)
is_logged_in = rules.is_authenticated & rules.is_active

#: District staff and administrators: may see everything about studios.
sees_all_studios = is_district_staff | is_admin
#: Those who read money records (R27): finance, auditors, district staff.
reads_funds = is_finance | is_auditor | is_district_staff | is_admin

rules.add_perm("accounts.view_home", is_logged_in)
rules.add_perm("accounts.view_inbox", is_logged_in)
