"""The one check services make before they write: may this actor do this (to this object)?"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def require_perm(actor, perm: str, obj=None) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You may not do this."))
