"""Home-page panels: the open call for unions, application counts for staff. Each context runs
a constant number of queries."""

from django.utils import timezone

from .models import Application
from .queries import applications_visible_to, current_call, status_counts


def union_call_panel(request) -> dict:
    from .services import open_call

    call = open_call()
    if call is None:
        return {"call": None}
    mine = {
        a.studio_id: a
        for a in Application.objects.filter(
            call=call, studio__enterprise_id=request.user.enterprise_id
        ).select_related("studio")
    }
    left = call.closes_at - timezone.now()
    return {
        "call": call,
        "days_left": left.days,
        "hours_left": left.seconds // 3600,
        "my_applications": list(mine.values()),
        "required_materials": [m for m in call.materials.all() if m.required],
    }


def staff_applications_panel(request) -> dict:
    call = current_call()
    if call is None:
        return {"call": None}
    qs = applications_visible_to(request.user).filter(call=call)
    return {"call": call, "counts": status_counts(qs)}
