from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit log")

    def ready(self):
        from . import checks  # noqa: F401  (registers audit.W001)
        from .admin_audit import ADMIN_EVENTS
        from .registry import register_actions

        register_actions(ADMIN_EVENTS)
