from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Support funds")

    def ready(self):
        from audit.registry import register_actions

        from .labels import ACTIONS

        register_actions(ACTIONS)
        from accounts.home import register_panel
        from accounts.models import Role
        from studios.hooks import APPLICATION_GUARDS
        from studios.management.commands.seed_demo import DEMO_EXTENSIONS
        from studios.signals import studio_transitioned

        from . import rules  # noqa: F401  (registers the permissions)
        from .demo import seed_funding_demo
        from .guards import r29_reapplication_bar
        from .home import auditor_panel, finance_panel, union_panel
        from .services import on_studio_transitioned

        studio_transitioned.connect(on_studio_transitioned, dispatch_uid="funding.r26_grants")
        if r29_reapplication_bar not in APPLICATION_GUARDS:
            APPLICATION_GUARDS.append(r29_reapplication_bar)
        if seed_funding_demo not in DEMO_EXTENSIONS:
            DEMO_EXTENSIONS.append(seed_funding_demo)
        register_panel(
            "funding/_home_finance.html",
            roles={Role.FINANCE, Role.ADMIN},
            context=finance_panel,
            order=20,
        )
        register_panel(
            "funding/_home_auditor.html",
            roles={Role.AUDITOR, Role.DISTRICT_UNION, Role.BUREAU},
            context=auditor_panel,
            order=20,
        )
        register_panel(
            "funding/_home_union.html",
            roles={Role.ENTERPRISE_UNION},
            context=union_panel,
            order=20,
        )
