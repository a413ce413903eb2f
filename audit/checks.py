from django.conf import settings
from django.core.checks import Warning, register


@register()
def audit_key_check(app_configs, **kwargs):
    """The development key is public (it is in the source): fine on a laptop, never for real."""
    if getattr(settings, "DEV_AUDIT_HMAC_KEY", None) == settings.AUDIT_HMAC_KEY:
        return [
            Warning(
                "AUDIT_HMAC_KEY is the development default: the audit log's hashes can be forged.",
                hint="Set AUDIT_HMAC_KEY in the environment (production refuses to start without).",
                id="audit.W001",
            )
        ]
    return []
