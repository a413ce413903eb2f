from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgersConfig(AppConfig):
    name = "ledgers"
    verbose_name = _("Ledgers")

    def ready(self):
        from audit.registry import register_actions

        from .labels import ACTIONS

        register_actions(ACTIONS)
        from . import stamps

        stamps.connect()
        from studios.hooks import R32_FLAG_PROVIDERS
        from studios.management.commands.seed_demo import DEMO_EXTENSIONS

        from .compliance import r32_4_flags
        from .demo import add_demo_ledgers

        if r32_4_flags not in R32_FLAG_PROVIDERS:
            R32_FLAG_PROVIDERS.append(r32_4_flags)
        if add_demo_ledgers not in DEMO_EXTENSIONS:
            DEMO_EXTENSIONS.append(add_demo_ledgers)
