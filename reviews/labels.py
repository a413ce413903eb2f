"""How application events read on a studio's timeline."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "application.started": _("Application started"),
    "application.projects_saved": _("Application: projects saved"),
    "application.results_saved": _("Application: results saved"),
    "application.talent_saved": _("Application: talent cultivation saved"),
    "application.material_added": _("Application: material uploaded"),
    "application.material_removed": _("Application: material removed"),
    "application.submit": _("Application submitted (recommended by the union, Art. 16)"),
    "application.withdraw": _("Application withdrawn"),
    "application.accept": _("Application accepted into review"),
    "application.return": _("Application returned for correction"),
    "application.reject": _("Application rejected"),
}
