"""Read-side querysets for calls and applications, scoped to the user (R20)."""

from django.db.models import Count

from accounts.rules import is_admin, is_district_staff, is_expert

from .models import Application, ApplicationStatus, Call


def applications_visible_to(user):
    """Staff see every application; a union sees its enterprise's only; an expert those a
    review round assigned to them; others none. Anything else is a 404."""
    qs = Application.objects.select_related("call", "studio", "studio__enterprise")
    if is_district_staff(user) or is_admin(user):
        return qs
    if user.is_authenticated and user.enterprise_id:
        return qs.filter(studio__enterprise_id=user.enterprise_id)
    if is_expert(user):
        return qs.filter(round_entries__assignments__expert=user).distinct()
    return qs.none()


def status_counts(qs) -> list[dict]:
    """Counts by status in one query, every status listed (zeros included), in table order."""
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("pk")))
    return [
        {"status": value, "label": label, "n": counts.get(value, 0)}
        for value, label in ApplicationStatus.choices
    ]


def current_call():
    """The call staff look at by default: the open one, else the latest published or created."""
    from .services import open_call

    return open_call() or Call.objects.order_by("-year").first()
