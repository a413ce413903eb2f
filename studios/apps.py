from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudiosConfig(AppConfig):
    name = "studios"
    verbose_name = _("Studios")

    def ready(self):
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
        from .timeline import register_labels

        register_labels({code: label for code, (label, _who) in decisions.TIMELINE_EVENTS.items()})
        from audit.admin_audit import ADMIN_EVENTS

        register_labels(ADMIN_EVENTS)
        studio_transitioned.connect(
            decisions.supersede_pending, dispatch_uid="studios.decisions.supersede_pending"
        )
        if add_lifecycle_demo not in DEMO_EXTENSIONS:
            DEMO_EXTENSIONS.append(add_lifecycle_demo)
