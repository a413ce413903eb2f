from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AuditEvent
from core.files import serve_private_file
from core.forms import put_errors_on_form
from core.listing import FilteredListView

from . import services
from .decisions import hidden_timeline_events
from .eligibility import check_eligibility, is_eligible
from .filters import EnterpriseFilter, StudioFilter
from .forms import EnterpriseForm, HonourForm, LeaderForm, MemberForm, StudioForm
from .models import LeaderHonour, Member, Studio
from .queries import enterprises_visible_to, studios_visible_to, with_eligibility_data


def _visible_studio(request, pk, perm="studios.view_studio"):
    """Fetch through the user's own scope: a studio of another enterprise is simply not found."""
    studio = get_object_or_404(with_eligibility_data(studios_visible_to(request.user)), pk=pk)
    if not request.user.has_perm(perm, studio):
        raise PermissionDenied
    return studio


# --- Studios ------------------------------------------------------------------------------


class StudioListView(FilteredListView):
    template_name = "studios/studio_list.html"
    filterset_class = StudioFilter
    sort_fields = {
        "name": "name",
        "enterprise": "enterprise__name",
        "type": "type",
        "status": "status",
        "founded": "founded_on",
        "area": "area_m2",
    }
    default_sort = "name"
    export_filename = "studios"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("studios.list_studios"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return with_eligibility_data(studios_visible_to(self.request.user))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        rows = []
        for studio in context["object_list"]:
            findings = check_eligibility(studio, today)
            rows.append((studio, is_eligible(findings), sum(1 for f in findings if not f.ok)))
        context["rows"] = rows
        context["can_add"] = self.request.user.has_perm("studios.add_studio")
        context["can_export"] = self.request.user.has_perm("studios.export_studios")
        return context

    def export_rows(self, queryset):
        if not self.request.user.has_perm("studios.export_studios"):
            raise PermissionDenied
        today = timezone.localdate()
        headers = [
            _("Studio"),
            _("Enterprise"),
            _("Type"),
            _("Status"),
            _("Founded on"),
            _("Area (m²)"),
            _("Leader"),
            _("Team size"),
            _("Eligible (R4–R9)"),
        ]

        def rows():
            for s in queryset:
                findings = check_eligibility(s, today)
                leader = s.current_leader
                team = sum(1 for m in s.members.all() if m.is_active_on(today))
                yield [
                    s.name,
                    s.enterprise.name,
                    s.get_type_display(),
                    s.get_status_display(),
                    s.founded_on,
                    s.area_m2,
                    leader.name if leader else "",
                    team,
                    _("yes") if is_eligible(findings) else _("no"),
                ]

        return headers, rows()


@login_required
def studio_detail(request, pk):
    studio = _visible_studio(request, pk)
    findings = check_eligibility(studio)
    today = timezone.localdate()
    members = list(studio.members.all())
    context = {
        "studio": studio,
        "findings": findings,
        "eligible": is_eligible(findings),
        "leader": studio.current_leader,
        "past_leaders": [leader for leader in studio.leaders.all() if leader.until is not None],
        "active_members": [m for m in members if m.is_active_on(today)],
        "former_members": [m for m in members if not m.is_active_on(today)],
        "events": AuditEvent.objects.for_studio(studio.pk).exclude(
            action__in=hidden_timeline_events(request.user)
        )[:200],
        "can_change": request.user.has_perm("studios.change_studio", studio),
        "can_see_documents": request.user.has_perm("studios.view_studio_documents", studio),
    }
    from .lifecycle_views import lifecycle_context

    context.update(lifecycle_context(request, studio))
    return render(request, "studios/studio_detail.html", context)


@login_required
def studio_create(request):
    if not request.user.has_perm("studios.add_studio") or not request.user.enterprise_id:
        raise PermissionDenied
    form = StudioForm(
        request.POST or None, request.FILES or None, enterprise=request.user.enterprise
    )
    if request.method == "POST" and form.is_valid():
        try:
            studio = services.create_studio(request.user, form.cleaned_data)
        except ValidationError as exc:
            put_errors_on_form(form, exc)
        else:
            messages.success(request, _("Studio “%(name)s” registered.") % {"name": studio.name})
            return redirect("studios:studio_detail", pk=studio.pk)
    return render(request, "studios/studio_form.html", {"form": form, "studio": None})


@login_required
def studio_edit(request, pk):
    studio = _visible_studio(request, pk, "studios.change_studio")
    form = StudioForm(request.POST or None, request.FILES or None, instance=studio)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.update_studio(request.user, studio, changes)
        except ValidationError as exc:
            put_errors_on_form(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("studios:studio_detail", pk=studio.pk)
    return render(request, "studios/studio_form.html", {"form": form, "studio": studio})


@login_required
def studio_document(request, pk, field):
    if field not in Studio.DOCUMENT_FIELDS:
        raise Http404
    studio = _visible_studio(request, pk, "studios.view_studio_documents")
    fieldfile = getattr(studio, field)
    ext = fieldfile.name.rsplit(".", 1)[-1] if fieldfile else "pdf"
    return serve_private_file(fieldfile, f"{studio.name}-{field}.{ext}")


@login_required
def leader_edit(request, pk):
    """Edit the leader in office, or record the first one."""
    studio = _visible_studio(request, pk, "studios.change_studio")
    leader = studio.current_leader
    form = LeaderForm(request.POST or None, instance=leader)
    if request.method == "POST" and form.is_valid():
        try:
            if leader is None:
                services.appoint_leader(request.user, studio, form.cleaned_data)
            else:
                changes = {name: form.cleaned_data[name] for name in form.changed_data}
                services.update_leader(request.user, leader, changes)
        except ValidationError as exc:
            put_errors_on_form(form, exc)
        else:
            messages.success(request, _("Leader saved."))
            return redirect("studios:studio_detail", pk=studio.pk)
    return render(
        request, "studios/leader_form.html", {"form": form, "studio": studio, "leader": leader}
    )


@login_required
def honour_add(request, pk):
    studio = _visible_studio(request, pk, "studios.change_studio")
    leader = studio.current_leader
    if leader is None:
        messages.error(request, _("Record the leader first."))
        return redirect("studios:leader_edit", pk=studio.pk)
    form = HonourForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_honour(request.user, leader, form.cleaned_data)
        except ValidationError as exc:
            put_errors_on_form(form, exc)
        else:
            messages.success(request, _("Honour recorded."))
            return redirect("studios:studio_detail", pk=studio.pk)
    return render(
        request, "studios/honour_form.html", {"form": form, "studio": studio, "leader": leader}
    )


@login_required
@require_POST
def honour_remove(request, pk, honour_pk):
    studio = _visible_studio(request, pk, "studios.change_studio")
    honour = get_object_or_404(LeaderHonour, pk=honour_pk, leader__studio=studio)
    services.remove_honour(request.user, honour)
    messages.success(request, _("Honour removed."))
    return redirect("studios:studio_detail", pk=studio.pk)


@login_required
def honour_evidence(request, pk, honour_pk):
    studio = _visible_studio(request, pk, "studios.view_studio_documents")
    honour = get_object_or_404(LeaderHonour, pk=honour_pk, leader__studio=studio)
    return serve_private_file(honour.evidence)


@login_required
def member_add(request, pk):
    studio = _visible_studio(request, pk, "studios.change_studio")
    form = MemberForm(request.POST or None, initial={"joined_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_member(request.user, studio, form.cleaned_data)
        except ValidationError as exc:
            put_errors_on_form(form, exc)
        else:
            messages.success(request, _("Member added."))
            if "add_another" in request.POST:
                return redirect("studios:member_add", pk=studio.pk)
            return redirect("studios:studio_detail", pk=studio.pk)
    return render(
        request, "studios/member_form.html", {"form": form, "studio": studio, "member": None}
    )


@login_required
def member_edit(request, pk, member_pk):
    studio = _visible_studio(request, pk, "studios.change_studio")
    member = get_object_or_404(Member, pk=member_pk, studio=studio)
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.update_member(request.user, member, changes)
        except ValidationError as exc:
            put_errors_on_form(form, exc)
        else:
            messages.success(request, _("Member saved."))
            return redirect("studios:studio_detail", pk=studio.pk)
    return render(
        request, "studios/member_form.html", {"form": form, "studio": studio, "member": member}
    )


# --- Enterprises --------------------------------------------------------------------------


class EnterpriseListView(FilteredListView):
    template_name = "studios/enterprise_list.html"
    filterset_class = EnterpriseFilter
    sort_fields = {"name": "name", "industry": "industry__name", "studios": "studio_count"}
    default_sort = "name"
    export_filename = "enterprises"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("studios.list_enterprises"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        from django.db.models import Count

        return enterprises_visible_to(self.request.user).annotate(studio_count=Count("studios"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = self.request.user.has_perm("studios.add_enterprise")
        return context

    def export_rows(self, queryset):
        headers = [
            _("Enterprise"),
            _("Unified social credit code"),
            _("Industry"),
            _("Registered in the district"),
            _("Pays tax in the district"),
            _("Has a union"),
            _("Union affiliated with the district"),
            _("Studios"),
        ]
        rows = (
            [
                e.name,
                e.credit_code,
                e.industry.name,
                e.registered_in_district,
                e.pays_tax_in_district,
                e.has_union,
                e.union_affiliated_with_district,
                e.studio_count,
            ]
            for e in queryset
        )
        return headers, rows


@login_required
def enterprise_detail(request, pk):
    enterprise = get_object_or_404(enterprises_visible_to(request.user), pk=pk)
    if not request.user.has_perm("studios.view_enterprise", enterprise):
        raise PermissionDenied
    studios = with_eligibility_data(studios_visible_to(request.user).filter(enterprise=enterprise))
    today = timezone.localdate()
    rows = [(s, is_eligible(check_eligibility(s, today))) for s in studios]
    return render(
        request,
        "studios/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "rows": rows,
            "can_change": request.user.has_perm("studios.change_enterprise", enterprise),
            "union_users": enterprise.union_users.filter(is_active=True),
        },
    )


@login_required
def my_enterprise(request):
    if not request.user.has_perm("studios.view_my_enterprise") or not request.user.enterprise_id:
        raise PermissionDenied
    return redirect("studios:enterprise_detail", pk=request.user.enterprise_id)


@login_required
def enterprise_create(request):
    if not request.user.has_perm("studios.add_enterprise"):
        raise PermissionDenied
    form = EnterpriseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.create_enterprise(request.user, form.cleaned_data)
        except ValidationError as exc:
            put_errors_on_form(form, exc)
        else:
            messages.success(request, _("Enterprise registered."))
            return redirect("studios:enterprise_detail", pk=enterprise.pk)
    return render(request, "studios/enterprise_form.html", {"form": form, "enterprise": None})


@login_required
def enterprise_edit(request, pk):
    enterprise = get_object_or_404(enterprises_visible_to(request.user), pk=pk)
    if not request.user.has_perm("studios.change_enterprise", enterprise):
        raise PermissionDenied
    form = EnterpriseForm(request.POST or None, instance=enterprise)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.update_enterprise(request.user, enterprise, changes)
        except ValidationError as exc:
            put_errors_on_form(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("studios:enterprise_detail", pk=enterprise.pk)
    return render(request, "studios/enterprise_form.html", {"form": form, "enterprise": enterprise})
