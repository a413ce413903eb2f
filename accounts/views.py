from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from studios.eligibility import check_eligibility, is_eligible
from studios.queries import studios_visible_to, with_eligibility_data

from . import services, throttle
from .home import panels_for
from .models import Role
from .rules import is_admin, is_district_staff


class LoginView(auth_views.LoginView):
    """Django's login, refusing attempts once a username or address has failed too often."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        address = throttle.client_address(request)
        if throttle.is_locked_out(username, address):
            form = self.get_form()
            form.add_error(
                None,
                _("Too many failed attempts. Please wait %(minutes)s minutes and try again.")
                % {"minutes": throttle.WINDOW_SECONDS // 60},
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        throttle.record_failure(
            self.request.POST.get("username", ""), throttle.client_address(self.request)
        )
        return super().form_invalid(form)

    def form_valid(self, form):
        throttle.clear_failures(
            form.get_user().get_username(), throttle.client_address(self.request)
        )
        return super().form_valid(form)


class LogoutView(auth_views.LogoutView):
    pass


HOME_TEMPLATES = {
    Role.ENTERPRISE_UNION: "accounts/home_union.html",
    Role.DISTRICT_UNION: "accounts/home_staff.html",
    Role.BUREAU: "accounts/home_staff.html",
    Role.EXPERT: "accounts/home_expert.html",
    Role.FINANCE: "accounts/home_finance.html",
    Role.AUDITOR: "accounts/home_auditor.html",
    Role.ADMIN: "accounts/home_staff.html",
}


@login_required
def home(request):
    user = request.user
    template = HOME_TEMPLATES.get(user.role, "accounts/home_staff.html")
    if user.is_superuser:
        template = "accounts/home_staff.html"
    context = {"today": timezone.localdate()}
    if user.role == Role.ENTERPRISE_UNION:
        studios = with_eligibility_data(studios_visible_to(user))
        context["studio_rows"] = [(s, is_eligible(check_eligibility(s))) for s in studios]
    elif is_district_staff(user) or is_admin(user):
        from django.db.models import Count

        from studios.models import Enterprise, Studio, StudioStatus, StudioType

        context["status_counts"] = [
            {**row, "status_label": StudioStatus(row["status"]).label}
            for row in Studio.objects.values("status").annotate(n=Count("pk")).order_by("status")
        ]
        context["type_counts"] = [
            {**row, "type_label": StudioType(row["type"]).label}
            for row in Studio.objects.values("type").annotate(n=Count("pk")).order_by("type")
        ]
        context["studio_total"] = sum(row["n"] for row in context["status_counts"])
        context["enterprise_total"] = Enterprise.objects.count()
    context["panels"] = panels_for(request)
    context["recent_notifications"] = user.notifications.all()[:5]
    return render(request, template, context)


@login_required
def inbox(request):
    notes = request.user.notifications.all()
    page = Paginator(notes, 30).get_page(request.GET.get("page"))
    return render(request, "accounts/inbox.html", {"page_obj": page})


@login_required
@require_POST
def inbox_mark_read(request):
    """Mark all unread notifications read, or only those named by ``id``; an ``id`` that is
    not a notification number changes nothing and says so (it was a server error)."""
    raw = request.POST.getlist("id")
    ids = [_notification_id(value) for value in raw]
    if None in ids:
        messages.error(request, _("That is not a notification of yours; nothing was changed."))
    else:
        services.mark_read(request.user, ids or None)
    return redirect("accounts:inbox")


#: The largest primary key the database can hold (a 64-bit signed integer).
MAX_ID = 2**63 - 1


def _notification_id(value: str) -> int | None:
    value = value.strip()
    if not value.isascii() or not value.isdigit() or len(value) > len(str(MAX_ID)):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None
