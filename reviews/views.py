from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.files import serve_private_file
from core.forms import put_errors_on_form, show_refusal
from core.listing import FilteredListView
from studios.lifecycle import HOLDS_TITLE
from studios.models import Studio
from studios.queries import studios_visible_to, with_eligibility_data

from . import documents, services
from .filters import ApplicationFilter
from .forms import (
    CallForm,
    CheckForm,
    MaterialForm,
    ProjectFormSet,
    ResultFormSet,
    StartApplicationForm,
    TalentForm,
    formset_rows,
)
from .models import ApplicationMaterial, Call
from .queries import applications_visible_to, current_call, status_counts
from .services import SubmissionRefused


def _require(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


# --- Calls --------------------------------------------------------------------------------


@login_required
def call_list(request):
    _require(request, "reviews.list_calls")
    calls = Call.objects.prefetch_related("materials").order_by("-year")
    now = timezone.now()
    return render(request, "reviews/call_list.html", {"calls": calls, "now": now})


def _call_form_page(request, call=None):
    _require(request, "reviews.manage_calls", call)
    form = CallForm(request.POST or None, request.FILES or None, instance=call)
    if request.method == "POST" and form.is_valid():
        try:
            if call is None:
                call = services.create_call(request.user, form.call_data(), form.materials())
            else:
                services.update_call(request.user, call, form.call_data(), form.materials())
        except ValidationError as exc:
            put_errors_on_form(form, exc)
        else:
            messages.success(request, _("Call saved."))
            return redirect("reviews:call_list")
    material_fields = [f for f in form if f.name.startswith("material_")]
    main_fields = [f for f in form if not f.name.startswith("material_")]
    return render(
        request,
        "reviews/call_form.html",
        {
            "form": form,
            "call": call,
            "material_fields": material_fields,
            "main_fields": main_fields,
        },
    )


@login_required
def call_create(request):
    return _call_form_page(request)


@login_required
def call_edit(request, pk):
    return _call_form_page(request, get_object_or_404(Call, pk=pk))


@login_required
@require_POST
def call_publish(request, pk):
    call = get_object_or_404(Call, pk=pk)
    _require(request, "reviews.manage_calls", call)
    try:
        services.publish_call(request.user, call)
    except ValidationError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("The call is published."))
    return redirect("reviews:call_list")


@login_required
def call_instructions(request, pk):
    """Any union or staff member may read a published call's instructions."""
    call = get_object_or_404(Call, pk=pk)
    if not (
        request.user.has_perm("reviews.manage_calls")
        or (call.is_published and request.user.has_perm("reviews.start_application"))
    ):
        raise PermissionDenied
    return serve_private_file(call.instructions)


# --- Application list (staff: the formal check; unions: their own) ------------------------


class ApplicationListView(FilteredListView):
    template_name = "reviews/application_list.html"
    filterset_class = ApplicationFilter
    sort_fields = {
        "number": "number",
        "studio": "studio__name",
        "enterprise": "studio__enterprise__name",
        "status": "status",
        "submitted": "submitted_at",
        "call": "call__year",
    }
    default_sort = "-submitted"
    export_filename = "applications"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _require(request, "reviews.list_applications")
            if "call" not in request.GET and request.user.has_perm("reviews.check_application"):
                call = current_call()
                if call is not None:
                    return redirect(f"{reverse('reviews:application_list')}?call={call.pk}")
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return applications_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unfiltered_status = self.request.GET.copy()
        unfiltered_status.pop("status", None)
        context["counts"] = status_counts(
            ApplicationFilter(unfiltered_status, queryset=self.get_queryset()).qs
        )
        context["can_export"] = self.request.user.has_perm("reviews.export_applications")
        context["can_start"] = self.request.user.has_perm("reviews.start_application")
        context["is_staff_view"] = self.request.user.has_perm("reviews.check_application")
        context["status_query"] = _without(self.request.GET, "status", "page")
        return context

    def export_rows(self, queryset):
        _require(self.request, "reviews.export_applications")
        headers = [
            _("Number"),
            _("Call"),
            _("Studio"),
            _("Enterprise"),
            _("Type"),
            _("Status"),
            _("Submitted at"),
            _("Staff comment"),
            _("Resubmit by"),
        ]
        rows = (
            [
                a.number or "",
                a.call.year,
                a.studio.name,
                a.studio.enterprise.name,
                a.studio.get_type_display(),
                a.get_status_display(),
                a.submitted_at,
                a.staff_comment,
                a.resubmit_by,
            ]
            for a in queryset
        )
        return headers, rows


def _without(querydict, *keys) -> str:
    params = querydict.copy()
    for key in keys:
        params.pop(key, None)
    return params.urlencode()


# --- Starting and filling an application --------------------------------------------------


STEPS = [
    ("facts", gettext_lazy("Studio facts")),
    ("leader", gettext_lazy("Leader and honours")),
    ("team", gettext_lazy("Team")),
    ("projects", gettext_lazy("Innovation projects")),
    ("results", gettext_lazy("Results")),
    ("talent", gettext_lazy("Talent cultivation")),
    ("materials", gettext_lazy("Materials")),
]
STEP_NAMES = [name for name, _label in STEPS]


@login_required
def application_start(request):
    _require(request, "reviews.start_application")
    call = services.open_call()
    # Not yet recognised, or revoked / delisted and applying again (R16, R29).
    studios = studios_visible_to(request.user).exclude(status__in=HOLDS_TITLE)
    if call is not None:
        studios = studios.exclude(applications__call=call)
    form = StartApplicationForm(request.POST or None, studios=studios)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.start_application(
                request.user, form.cleaned_data["studio"], call
            )
        except ValidationError as exc:
            put_errors_on_form(form, exc)
        else:
            messages.success(request, _("Draft application started."))
            return redirect("reviews:application_step", pk=application.pk, step="facts")
    return render(request, "reviews/application_start.html", {"form": form, "call": call})


def _visible_application(request, pk, perm="reviews.view_application"):
    application = get_object_or_404(applications_visible_to(request.user), pk=pk)
    _require(request, perm, application)
    return application


def _eligibility_studio(application):
    return with_eligibility_data(Studio.objects.filter(pk=application.studio_id)).get()


def _sidebar(application):
    """The live checklist (every guard, R4–R9 and more) and the R18 materials still missing."""
    studio = _eligibility_studio(application)
    findings = services.guard_findings(studio)
    return {
        "studio": studio,
        "findings": findings,
        "eligible": all(f.ok for f in findings),
        "missing": services.missing_materials(application),
    }


@login_required
def application_step(request, pk, step):
    if step not in STEP_NAMES:
        raise Http404
    application = _visible_application(request, pk, "reviews.change_application")
    context = {
        "application": application,
        "steps": STEPS,
        "step": step,
        "step_label": dict(STEPS)[step],
        "next_step": STEP_NAMES[STEP_NAMES.index(step) + 1] if step != STEP_NAMES[-1] else None,
        "previous_step": STEP_NAMES[STEP_NAMES.index(step) - 1] if step != "facts" else None,
    }
    handler = STEP_HANDLERS.get(step)
    if handler is not None:
        response = handler(request, application, context)
        if response is not None:
            return response
    context.update(_sidebar(application))
    if step == "leader":
        context["leader"] = context["studio"].current_leader
    if step == "team":
        today = timezone.localdate()
        context["members"] = [m for m in context["studio"].members.all() if m.is_active_on(today)]
    return render(request, "reviews/application_step.html", context)


def _after_save(request, application, step, context):
    messages.success(request, _("Draft saved."))
    target = context["next_step"] if "save_next" in request.POST and context["next_step"] else step
    return redirect("reviews:application_step", pk=application.pk, step=target)


def _projects_step(request, application, context):
    initial = [
        {
            f: getattr(p, f)
            for f in ("name", "started_on", "status", "applied_in_unit", "description")
        }
        for p in application.projects.all()
    ]
    formset = ProjectFormSet(request.POST or None, initial=initial, prefix="projects")
    context["formset"] = formset
    if request.method == "POST" and formset.is_valid():
        try:
            services.replace_projects(request.user, application, formset_rows(formset))
        except ValidationError as exc:
            show_refusal(request, exc)
        else:
            return _after_save(request, application, "projects", context)
    return None


def _results_step(request, application, context):
    initial = [
        {
            f: getattr(r, f)
            for f in ("title", "kind", "obtained_on", "applied_in_practice", "benefit")
        }
        for r in application.results.all()
    ]
    formset = ResultFormSet(request.POST or None, initial=initial, prefix="results")
    context["formset"] = formset
    if request.method == "POST" and formset.is_valid():
        try:
            services.replace_results(request.user, application, formset_rows(formset))
        except ValidationError as exc:
            show_refusal(request, exc)
        else:
            return _after_save(request, application, "results", context)
    return None


def _talent_step(request, application, context):
    form = TalentForm(
        request.POST or None, initial={"talent_cultivation": application.talent_cultivation}
    )
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        services.save_talent_cultivation(
            request.user, application, form.cleaned_data["talent_cultivation"]
        )
        return _after_save(request, application, "talent", context)
    return None


def _materials_step(request, application, context):
    form = MaterialForm(request.POST or None, request.FILES or None)
    context["form"] = form
    context["materials"] = list(application.materials.all())
    context["call_materials"] = list(application.call.materials.all())
    if request.method == "POST" and form.is_valid():
        try:
            material = services.add_material(
                request.user, application, form.cleaned_data["kind"], form.cleaned_data["file"]
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, _("“%(name)s” uploaded.") % {"name": material.original_name})
            return redirect("reviews:application_step", pk=application.pk, step="materials")
    return None


STEP_HANDLERS = {
    "projects": _projects_step,
    "results": _results_step,
    "talent": _talent_step,
    "materials": _materials_step,
}


# --- Reading an application ---------------------------------------------------------------


@login_required
def application_detail(request, pk):
    application = _visible_application(request, pk)
    sidebar = _sidebar(application) if application.is_editable else {}
    if application.snapshot and not application.is_editable:
        snap = application.snapshot
    else:
        studio = sidebar.get("studio") or _eligibility_studio(application)
        snap = services.build_snapshot(
            application, sidebar.get("findings") or services.guard_findings(studio)
        )
    actions = services.allowed_actions(request.user, application)
    return render(
        request,
        "reviews/application_detail.html",
        {
            "application": application,
            "snap": snap,
            "materials": list(application.materials.all()),
            "actions": actions,
            "can_edit": request.user.has_perm("reviews.change_application", application),
            "can_check": request.user.has_perm("reviews.check_application", application)
            and application.status == "submitted",
            "can_download": request.user.has_perm("reviews.download_material", application),
            "can_dossier": request.user.has_perm("reviews.download_dossier", application),
            "steps": STEPS,
            "check_form": CheckForm(),
            **sidebar,
        },
    )


@login_required
@require_POST
def application_submit(request, pk):
    application = _visible_application(request, pk, "reviews.submit_application")
    try:
        application = services.transition(request.user, application, services.Action.SUBMIT)
    except SubmissionRefused as exc:
        messages.error(request, _("The application cannot be submitted:"))
        for finding in exc.findings:
            messages.error(request, f"{finding.rule} · {finding.message}")
        return redirect("reviews:application_detail", pk=application.pk)
    except ValidationError as exc:
        show_refusal(request, exc)
        return redirect("reviews:application_detail", pk=application.pk)
    messages.success(
        request,
        _("Submitted. Your application number is %(number)s.") % {"number": application.number},
    )
    return redirect("reviews:application_receipt", pk=application.pk)


@login_required
@require_POST
def application_withdraw(request, pk):
    application = _visible_application(request, pk, "reviews.withdraw_application")
    try:
        services.transition(request.user, application, services.Action.WITHDRAW)
    except ValidationError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("Withdrawn. You may edit and submit again before the close."))
    return redirect("reviews:application_detail", pk=application.pk)


@login_required
def application_check(request, pk):
    """Formal check (形式审查) by staff: accept, return with comment and deadline, or reject."""
    application = _visible_application(request, pk, "reviews.check_application")
    form = CheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.transition(
                request.user,
                application,
                data["action"],
                comment=data["comment"],
                resubmit_by=data["resubmit_by"],
            )
        except ValidationError as exc:
            put_errors_on_form(form, exc)
        else:
            messages.success(request, _("Decision recorded and the union notified."))
            return redirect("reviews:application_detail", pk=application.pk)
    return render(
        request, "reviews/application_check.html", {"application": application, "form": form}
    )


@login_required
def application_receipt(request, pk):
    application = _visible_application(request, pk)
    if not application.number:
        raise Http404
    return render(request, "reviews/application_receipt.html", {"application": application})


@login_required
def application_receipt_pdf(request, pk):
    application = _visible_application(request, pk)
    if not application.number:
        raise Http404
    response = HttpResponse(documents.receipt_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{application.number}-receipt.pdf"'
    return response


@login_required
def application_dossier(request, pk):
    application = _visible_application(request, pk, "reviews.download_dossier")
    if not application.snapshot:
        raise Http404
    name = f"{application.number or application.pk}-dossier.zip"
    return FileResponse(
        documents.dossier_zip(application),
        as_attachment=True,
        filename=name,
        content_type="application/zip",
    )


# --- Materials ----------------------------------------------------------------------------


def _visible_material(request, pk, material_pk, perm):
    application = _visible_application(request, pk, "reviews.view_application")
    _require(request, perm, application)
    return get_object_or_404(ApplicationMaterial, pk=material_pk, application=application)


@login_required
def material_download(request, pk, material_pk):
    material = _visible_material(request, pk, material_pk, "reviews.download_material")
    return serve_private_file(material.file, material.original_name)


@login_required
def material_thumbnail(request, pk, material_pk):
    material = _visible_material(request, pk, material_pk, "reviews.download_material")
    return serve_private_file(material.thumbnail, f"thumb-{material.pk}.jpg", inline=True)


@login_required
@require_POST
def material_remove(request, pk, material_pk):
    material = _visible_material(request, pk, material_pk, "reviews.change_application")
    try:
        services.remove_material(request.user, material)
    except ValidationError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("Material removed."))
    return redirect("reviews:application_step", pk=pk, step="materials")
