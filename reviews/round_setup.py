"""Registrations of review rounds (issue #4), called once from ``ReviewsConfig.ready()``:
home panels, navigation entries, the demo data and the periodic task module."""

from django.utils.translation import gettext_lazy as _


def register_review_rounds() -> None:
    from accounts.home import register_panel
    from accounts.models import Role
    from core.navigation import NAV_ITEMS, NavItem
    from studios.management.commands.seed_demo import DEMO_EXTENSIONS

    from . import round_demo, round_home, round_tasks  # noqa: F401  (registers the task)

    register_panel(
        "reviews/rounds/_home_expert.html",
        roles={Role.EXPERT},
        context=round_home.expert_panel,
        order=10,
    )
    register_panel(
        "reviews/rounds/_home_staff_rounds.html",
        roles={Role.DISTRICT_UNION, Role.BUREAU, "admin"},
        context=round_home.staff_rounds_panel,
        order=20,
    )
    nav = [
        NavItem(_("Review rounds"), "reviews:round_list", "reviews.list_rounds"),
        NavItem(_("Experts"), "reviews:expert_list", "reviews.manage_experts"),
        NavItem(_("My reviews"), "reviews:my_reviews", "reviews.list_my_reviews"),
    ]
    audit_at = next(
        (i for i, item in enumerate(NAV_ITEMS) if item.url_name.startswith("audit:")),
        len(NAV_ITEMS),
    )
    for item in reversed(nav):
        if all(existing.url_name != item.url_name for existing in NAV_ITEMS):
            NAV_ITEMS.insert(audit_at, item)
    if round_demo.seed_review_round not in DEMO_EXTENSIONS:
        DEMO_EXTENSIONS.append(round_demo.seed_review_round)
