"""The navigation bar: each role sees only what it may use. Apps add their entries here, each
with the permission that guards the page it links to."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str


NAV_ITEMS = [
    NavItem(_("Home"), "accounts:home", "accounts.view_home"),
    NavItem(_("Studios"), "studios:studio_list", "studios.list_studios"),
    NavItem(_("Enterprises"), "studios:enterprise_list", "studios.list_enterprises"),
    NavItem(_("My enterprise"), "studios:my_enterprise", "studios.view_my_enterprise"),
    NavItem(_("Compliance"), "ledgers:compliance_grid", "ledgers.view_compliance_grid"),
    NavItem(_("Ledger dashboard"), "ledgers:dashboard", "ledgers.view_dashboard"),
    NavItem(_("Funds"), "funding:dashboard", "funding.view_dashboard"),
    NavItem(_("Support grants"), "funding:grant_list", "funding.list_grants"),
    NavItem(_("Lifecycle"), "studios:schedules", "studios.view_schedules"),
    NavItem(_("Audit log"), "audit:event_list", "audit.view_log"),
]


def nav_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    return [
        {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name}
        for item in NAV_ITEMS
        if user.has_perm(item.permission)
    ]
