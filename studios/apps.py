from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudiosConfig(AppConfig):
    name = "studios"
    verbose_name = _("Studios")

    def ready(self):
        from audit.registry import register_actions

        from .labels import ACTIONS

        register_actions(ACTIONS)
        from accounts.home import register_panel
        from accounts.models import Role

        from .demo import add_lifecycle_demo
        from .lifecycle_views import home_panel_context
        from .management.commands.seed_demo import DEMO_EXTENSIONS

        register_panel(
            "studios/lifecycle/_home_staff.html",
            roles={Role.DISTRICT_UNION, Role.BUREAU, Role.ADMIN},
            context=home_panel_context,
            order=20,
        )
        # Lifecycle decisions both bodies sign (R3): timeline labels, and a pending decision
        # lapses when the studio moves by other means.
        from . import decisions
        from .signals import studio_transitioned

        register_actions(decisions.TIMELINE_EVENTS)
        studio_transitioned.connect(
            decisions.supersede_pending, dispatch_uid="studios.decisions.supersede_pending"
        )
        if add_lifecycle_demo not in DEMO_EXTENSIONS:
            DEMO_EXTENSIONS.append(add_lifecycle_demo)
