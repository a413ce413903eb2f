from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Calls and applications")

    def ready(self):
        from audit.registry import register_actions

        from .labels import ACTIONS

        register_actions(ACTIONS)
        from accounts.home import register_panel
        from accounts.models import Role
        from core.navigation import NAV_ITEMS, NavItem
        from studios.hooks import APPLICATION_GUARDS
        from studios.management.commands.seed_demo import DEMO_EXTENSIONS

        from . import demo, home, services

        for guard in (services.eligibility_guard, services.already_recognised_guard):
            if guard not in APPLICATION_GUARDS:
                APPLICATION_GUARDS.append(guard)
        register_panel(
            "reviews/_home_union_call.html",
            roles={Role.ENTERPRISE_UNION},
            context=home.union_call_panel,
            order=10,
        )
        register_panel(
            "reviews/_home_staff_applications.html",
            roles={Role.DISTRICT_UNION, Role.BUREAU, "admin"},
            context=home.staff_applications_panel,
            order=10,
        )
        nav = [
            NavItem(_("Calls"), "reviews:call_list", "reviews.list_calls"),
            NavItem(_("Applications"), "reviews:application_list", "reviews.list_applications"),
        ]
        audit_at = next(
            (i for i, item in enumerate(NAV_ITEMS) if item.url_name.startswith("audit:")),
            len(NAV_ITEMS),
        )
        for item in reversed(nav):
            if all(existing.url_name != item.url_name for existing in NAV_ITEMS):
                NAV_ITEMS.insert(audit_at, item)
        if demo.seed_calls_and_applications not in DEMO_EXTENSIONS:
            DEMO_EXTENSIONS.append(demo.seed_calls_and_applications)
        from .round_setup import register_review_rounds  # issue #4

        register_review_rounds()
