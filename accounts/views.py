from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from studios.eligibility import check_eligibility, is_eligible
from studios.queries import studios_visible_to, with_eligibility_data

from . import services
from .home import panels_for
from .models import Role
from .rules import is_admin, is_district_staff


class LoginView(auth_views.LoginView):
    """Django's login. Repeated failures are throttled by django-axes, which watches
    ``authenticate()`` itself (so the admin's login too): see settings' AXES_* and
    ``accounts/templates/accounts/locked_out.html``."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers (AXES_LOCKOUT_CALLABLE) when a (username, address) pair is
    locked, on the portal's login page and on the admin's: the portal's page, in the user's
    language, saying how long the lock lasts."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "accounts/locked_out.html", context, status=429)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change; choosing a new password also clears ``must_change_password``."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(self.request.user)
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by e-mail: the answer is the same whether or not the address is known,
    so the page cannot be used to find out who has an account."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


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
