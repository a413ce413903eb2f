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


#: Menus that gather related pages, so staff's bar stays one line. A menu with only one page
#: the user may see shows as a plain link.
MENUS = {
    "studios": _("Studios"),
    "reviews": _("Reviews"),
    "funds": _("Funds"),
}
MENU_OF = {
    "studios:studio_list": "studios",
    "studios:enterprise_list": "studios",
    "studios:schedules": "studios",
    "ledgers:compliance_grid": "studios",
    "ledgers:dashboard": "studios",
    "reviews:call_list": "reviews",
    "reviews:application_list": "reviews",
    "reviews:round_list": "reviews",
    "reviews:expert_list": "reviews",
    "funding:dashboard": "funds",
    "funding:grant_list": "funds",
}


def nav_for(user) -> list[dict]:
    """Entries in order: a link ``{label, url, url_name}``, or a menu ``{label, children}``."""
    if not user.is_authenticated:
        return []
    entries, menus = [], {}
    for item in NAV_ITEMS:
        if not user.has_perm(item.permission):
            continue
        link = {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name}
        menu = MENU_OF.get(item.url_name)
        if menu is None:
            entries.append(link)
        elif menu in menus:
            menus[menu]["children"].append(link)
        else:
            menus[menu] = {"label": MENUS[menu], "children": [link]}
            entries.append(menus[menu])
    return [
        entry["children"][0] if len(entry.get("children", ())) == 1 else entry for entry in entries
    ]
