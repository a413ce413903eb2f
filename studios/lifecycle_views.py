"""Pages of the lifecycle: the schedules staff work from, decisions, rename requests,
certificates (one or a batch, with progress), and the two public pages (directory, verify)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.files import serve_private_file
from core.forms import put_errors_on_form, show_refusal
from core.listing import FilteredListView

from . import certificates, decisions, lifecycle, schedules, services
from .decision_models import LifecycleDecision
from .filters import ScheduleFilter
from .lifecycle_forms import (
    LifecycleActionForm,
    MunicipalRecommendationForm,
    RenameDecisionForm,
    RenameRequestForm,
    window_months,
)
from .lifecycle_models import (
    Certificate,
    CertificateBatch,
    RecognitionCycle,
    RenameRequest,
    RenameStatus,
)
from .models import Studio
from .views import _visible_studio

LIST_TITLES = {
    schedules.NEXT_YEAR: gettext_lazy("Next-year re-review due (Article 17)"),
    schedules.EXPIRING: gettext_lazy("Cycle ends within the window (Article 24)"),
    schedules.RECTIFICATION: gettext_lazy("Rectification deadlines (Article 25)"),
    schedules.R32: gettext_lazy("Grounds for revocation (Article 32)"),
}


def _staff_only(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied


# --- The studio page's lifecycle card -------------------------------------------------------


def lifecycle_context(request, studio) -> dict:
    """What the studio page shows of the lifecycle: a constant handful of queries, and none for
    a studio that was never recognised (it has no cycles, certificates or decisions yet)."""
    user = request.user
    context = {
        "cycles": [],
        "open_cycle": None,
        "star_years": [],
        "next_year_due": None,
        "rectification": None,
        "revocations": [],
        "municipal": [],
        "certificates": [],
        "rename_requests": [],
        "can_decide": user.has_perm("studios.decide_lifecycle", studio),
        "can_request_rename": user.has_perm("studios.request_rename", studio)
        and studio.status in lifecycle.HOLDS_TITLE,
        "can_manage_certificates": user.has_perm("studios.manage_certificates"),
        "can_recommend": user.has_perm("studios.recommend_municipal", studio)
        and studio.status in lifecycle.HOLDS_TITLE,
    }
    if context["can_decide"]:
        # Staff see a decision awaiting the other body; the enterprise union sees nothing of it
        # until it takes effect (R3).
        pending = decisions.pending_for(studio)
        context.update(
            pending_decision=pending,
            pending_rows=pending
            and decisions.summary_rows(
                pending.action,
                pending.from_status,
                pending.to_status,
                pending.effective_on,
                pending.details,
                pending.reason,
            ),
            pending_signatures=pending and decisions.signature_rows(pending),
            can_sign_pending=pending and decisions.can_sign(user, pending),
            can_withdraw_pending=pending and decisions.can_withdraw(user, pending),
        )
    if studio.first_recognised_on is None:
        return context
    cycles = list(studio.cycles.all())
    context.update(
        cycles=cycles,
        open_cycle=next((c for c in cycles if c.closed_on is None), None),
        star_years=[c.closed_on.year for c in cycles if c.star_awarded and c.closed_on],
        next_year_due=(
            lifecycle.next_year_rereview_due_on(studio.recognised_on)
            if studio.status == "recognised"
            else None
        ),
        rectification=studio.rectifications.filter(outcome="pending").first(),
        revocations=list(studio.revocations.all()),
        municipal=list(studio.municipal_recommendations.all()),
        certificates=list(studio.certificates.select_related("superseded_by")),
        rename_requests=list(studio.rename_requests.all()[:5]),
    )
    return context


@login_required
def lifecycle_action(request, pk):
    """Staff record a move by hand. Taking a studio into its cycle re-review is done at once
    (procedural, see ``studios.decisions``); every other move is shown for confirmation, then
    proposed with the user's own body's signature and waits for the other body (R3)."""
    studio = _visible_studio(request, pk, "studios.decide_lifecycle")
    pending = decisions.pending_for(studio)
    form = LifecycleActionForm(request.POST or None, studio=studio)
    if request.method == "POST" and "back" not in request.POST and form.is_valid():
        data = form.cleaned_data
        details = {"reasons": data["reasons"], "deadline": data["deadline"], "star": data["star"]}
        move = {"on": data["on"], "reason": data["reason"], "details": details}
        try:
            if data["action"] == lifecycle.A.START_CYCLE_REREVIEW:
                lifecycle.begin_cycle_rereview(
                    studio, request.user, on=data["on"], reason=data["reason"]
                )
                messages.success(request, _("Decision recorded."))
                return redirect("studios:studio_detail", pk=studio.pk)
            if "confirm" in request.POST:
                decisions.propose(request.user, studio, data["action"], **move)
                messages.success(
                    request,
                    _("Signed for your body. The decision takes effect when the other body signs."),
                )
                return redirect("studios:studio_detail", pk=studio.pk)
            decisions.check_proposer(request.user, studio)
            trial = decisions.preview(request.user, studio, data["action"], **move)
        except ValidationError as exc:
            put_errors_on_form(form, exc)
        else:
            body = decisions.body_of(request.user)
            return render(
                request,
                "studios/lifecycle/decision_confirm.html",
                {
                    "form": form,
                    "studio": studio,
                    "rows": decisions.summary_rows(
                        data["action"],
                        trial["from_status"],
                        trial["to_status"],
                        data["on"],
                        {**decisions.clean_details(details), "effect": trial["effect"]},
                        data["reason"],
                    ),
                    "body": decisions.BODY_LABELS[body],
                    "other_body": decisions.BODY_LABELS[decisions.other_body(body)],
                },
            )
    return render(
        request,
        "studios/lifecycle/action_form.html",
        {"form": form, "studio": studio, "pending": pending},
    )


def _decision_for(request, pk):
    decision = get_object_or_404(
        LifecycleDecision.objects.select_related(
            "proposed_by", "union_signed_by", "bureau_signed_by", "closed_by"
        ),
        pk=pk,
    )
    decision.studio = _visible_studio(request, decision.studio_id, "studios.decide_lifecycle")
    return decision


@login_required
def lifecycle_decision_sign(request, pk):
    """The other body reads what will change, then signs (R3); the move happens at once."""
    decision = _decision_for(request, pk)
    if request.method == "POST":
        try:
            decisions.sign(request.user, decision)
        except ValidationError as exc:
            show_refusal(request, exc)
            return redirect("studios:lifecycle_decision_sign", pk=decision.pk)
        messages.success(request, _("Signed. The decision is in effect."))
        return redirect("studios:studio_detail", pk=decision.studio_id)
    return render(
        request,
        "studios/lifecycle/decision_sign.html",
        {
            "decision": decision,
            "studio": decision.studio,
            "rows": decisions.summary_rows(
                decision.action,
                decision.from_status,
                decision.to_status,
                decision.effective_on,
                decision.details,
                decision.reason,
            ),
            "signatures": decisions.signature_rows(decision),
            "can_sign": decisions.can_sign(request.user, decision),
            "can_withdraw": decisions.can_withdraw(request.user, decision),
            "body": decisions.BODY_LABELS.get(decisions.body_of(request.user) or "", ""),
        },
    )


@login_required
@require_POST
def lifecycle_decision_withdraw(request, pk):
    decision = _decision_for(request, pk)
    try:
        decisions.withdraw(request.user, decision, request.POST.get("note", ""))
    except ValidationError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("The proposed decision was withdrawn."))
    return redirect("studios:studio_detail", pk=decision.studio_id)


@login_required
def municipal_recommend(request, pk):
    studio = _visible_studio(request, pk, "studios.recommend_municipal")
    form = MunicipalRecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommend_to_municipal(
                request.user, studio, form.cleaned_data["on"], form.cleaned_data["note"]
            )
        except ValidationError as exc:
            put_errors_on_form(form, exc)
        else:
            messages.success(request, _("Recommendation recorded."))
            return redirect("studios:studio_detail", pk=studio.pk)
    return render(
        request, "studios/lifecycle/municipal_form.html", {"form": form, "studio": studio}
    )


# --- Schedules ----------------------------------------------------------------------------


class ScheduleView(FilteredListView):
    """One page, four lists (``?list=``), each filterable, sortable, paginated, exportable."""

    template_name = "studios/lifecycle/schedules.html"
    filterset_class = ScheduleFilter
    sort_fields = {"name": "name", "enterprise": "enterprise__name", "due": "due"}
    default_sort = "due"
    export_filename = "lifecycle-schedule"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _staff_only(request, "studios.view_schedules")
        self.today = timezone.localdate()
        self.kind = request.GET.get("list", schedules.NEXT_YEAR)
        if self.kind not in schedules.LISTS:
            self.kind = schedules.NEXT_YEAR
        self.window = window_months(request)
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self, kind):
        from django.db.models import F

        if kind == schedules.NEXT_YEAR:
            return schedules.due_for_next_year_rereview(self.today).annotate(due=F("recognised_on"))
        if kind == schedules.EXPIRING:
            return schedules.cycle_ending_within(self.today, self.window).annotate(
                due=F("cycle_ends_on")
            )
        if kind == schedules.RECTIFICATION:
            return schedules.in_rectification().annotate(due=F("deadline"))
        return Studio.objects.filter(pk__in=list(self.flags)).annotate(due=F("recognised_on"))

    def get_queryset(self):
        self.flags = schedules.r32_flags_by_studio(self.today) if self.kind == schedules.R32 else {}
        return (
            self.base_queryset(self.kind)
            .select_related("enterprise")
            .order_by(*(self.get_ordering() or ["pk"]))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = []
        for studio in context["object_list"]:
            rows.append((studio, self.due_label(studio), self.flags.get(studio.pk, [])))
        ids = schedules.schedule_studio_ids(self.today, self.window)
        context.update(
            rows=rows,
            kind=self.kind,
            tabs=[(k, LIST_TITLES[k], len(ids[k])) for k in schedules.LISTS],
            title=LIST_TITLES[self.kind],
            window_months=self.window,
            today=self.today,
            pending_renames=RenameRequest.objects.filter(status=RenameStatus.PENDING).count(),
        )
        return context

    def due_label(self, studio):
        if self.kind == schedules.NEXT_YEAR:
            return lifecycle.next_year_rereview_due_on(studio.recognised_on)
        if self.kind == schedules.R32:
            return None
        return studio.due

    def export_rows(self, queryset):
        headers = [_("Studio"), _("Enterprise"), _("Type"), _("Status"), _("Due"), _("Flags")]
        self.flags = schedules.r32_flags_by_studio(self.today) if self.kind == schedules.R32 else {}
        lang_zh = (getattr(self.request, "LANGUAGE_CODE", "") or "").startswith("zh")

        def rows():
            for s in queryset.select_related("enterprise"):
                flags = self.flags.get(s.pk, [])
                yield [
                    s.name,
                    s.enterprise.name,
                    s.get_type_display(),
                    s.get_status_display(),
                    self.due_label(s),
                    "; ".join(
                        f"{f.rule} {f.message_zh if lang_zh else f.message_en}" for f in flags
                    ),
                ]

        return headers, rows()


# --- Rename requests (R23) ------------------------------------------------------------------


@login_required
def rename_request_create(request, pk):
    studio = _visible_studio(request, pk, "studios.request_rename")
    form = RenameRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.file_rename_request(request.user, studio, form.cleaned_data)
        except ValidationError as exc:
            put_errors_on_form(form, exc)
        else:
            messages.success(request, _("Rename request filed; the district union decides."))
            return redirect("studios:studio_detail", pk=studio.pk)
    return render(request, "studios/lifecycle/rename_form.html", {"form": form, "studio": studio})


@login_required
def rename_list(request):
    _staff_only(request, "studios.decide_rename")
    requests = RenameRequest.objects.select_related("studio", "studio__enterprise", "filed_by")
    pending = [r for r in requests if r.status == RenameStatus.PENDING]
    decided = [r for r in requests if r.status != RenameStatus.PENDING][:50]
    return render(
        request, "studios/lifecycle/rename_list.html", {"pending": pending, "decided": decided}
    )


@login_required
def rename_decide(request, pk):
    _staff_only(request, "studios.decide_rename")
    rename = get_object_or_404(
        RenameRequest.objects.select_related("studio", "studio__enterprise"), pk=pk
    )
    form = RenameDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = "approve" in request.POST
        try:
            services.decide_rename_request(
                request.user, rename, approve, form.cleaned_data["note"], form.cleaned_data["on"]
            )
        except ValidationError as exc:
            put_errors_on_form(form, exc)
        else:
            messages.success(request, _("Approved.") if approve else _("Refused."))
            return redirect("studios:rename_list")
    return render(request, "studios/lifecycle/rename_decide.html", {"form": form, "rename": rename})


# --- Certificates -------------------------------------------------------------------------


@login_required
def certificate_pdf(request, pk, certificate_pk):
    studio = _visible_studio(request, pk)
    certificate = get_object_or_404(Certificate, pk=certificate_pk, studio=studio)
    if not certificate.pdf:
        raise Http404(_("This certificate has not been rendered yet."))
    return serve_private_file(certificate.pdf, f"{certificate.number}.pdf")


@login_required
@require_POST
def certificate_regenerate(request, pk):
    studio = _visible_studio(request, pk, "studios.manage_certificates")
    batch = certificates.regenerate_certificate(request.user, studio)
    return redirect("studios:certificate_batch", pk=batch.pk)


@login_required
def certificate_batches(request):
    _staff_only(request, "studios.manage_certificates")
    if request.method == "POST":
        ids = Studio.objects.filter(status__in=lifecycle.HOLDS_TITLE).values_list("pk", flat=True)
        batch = certificates.start_certificate_batch(request.user, ids)
        return redirect("studios:certificate_batch", pk=batch.pk)
    holders = Studio.objects.filter(status__in=lifecycle.HOLDS_TITLE).count()
    batches = CertificateBatch.objects.select_related("created_by")[:20]
    return render(
        request,
        "studios/lifecycle/certificate_batches.html",
        {"batches": batches, "holders": holders},
    )


@login_required
def certificate_batch(request, pk):
    _staff_only(request, "studios.manage_certificates")
    batch = get_object_or_404(CertificateBatch, pk=pk)
    template = (
        "studios/lifecycle/_batch_progress.html"
        if request.headers.get("HX-Request")
        else "studios/lifecycle/certificate_batch.html"
    )
    certs = Certificate.objects.filter(pk__in=batch.certificate_ids).select_related("studio")
    return render(request, template, {"batch": batch, "certificates": certs})


@login_required
def certificate_batch_progress(request, pk):
    _staff_only(request, "studios.manage_certificates")
    batch = get_object_or_404(CertificateBatch, pk=pk)
    return render(request, "studios/lifecycle/_batch_progress.html", {"batch": batch})


@login_required
@require_POST
def certificate_batch_resume(request, pk):
    _staff_only(request, "studios.manage_certificates")
    batch = get_object_or_404(CertificateBatch, pk=pk)
    certificates.resume_certificate_batch(request.user, batch)
    return redirect("studios:certificate_batch", pk=batch.pk)


# --- Public pages -------------------------------------------------------------------------


def directory(request):
    """Anyone may see which studios hold the title: names, enterprise, type, since when, Star
    titles and municipal recommendations. Nothing private (no people, no money, no files)."""
    q = request.GET.get("q", "").strip()
    studios = (
        Studio.objects.filter(status__in=lifecycle.HOLDS_TITLE)
        .select_related("enterprise")
        .only("pk", "name", "type", "first_recognised_on", "enterprise__name")
        .prefetch_related(
            Prefetch(
                "cycles",
                queryset=RecognitionCycle.objects.filter(star_awarded=True).only(
                    "studio_id", "closed_on"
                ),
                to_attr="star_cycles",
            ),
            "municipal_recommendations",
        )
        .order_by("enterprise__name", "name")
    )
    if q:
        studios = studios.filter(Q(name__icontains=q) | Q(enterprise__name__icontains=q))
    kind = request.GET.get("type", "")
    if kind:
        studios = studios.filter(type=kind)
    page = Paginator(studios, 30).get_page(request.GET.get("page"))
    from .models import StudioType

    return render(
        request,
        "studios/lifecycle/directory.html",
        {"page_obj": page, "q": q, "type": kind, "types": StudioType.choices},
    )


def verify_certificate(request, code):
    certificate = (
        Certificate.objects.select_related("studio", "superseded_by")
        .filter(code=code.upper())
        .first()
    )
    if certificate is None:  # says so on the verification page itself, not a bare "not found"
        return render(request, "studios/lifecycle/verify.html", {"code": code}, status=404)
    return render(
        request,
        "studios/lifecycle/verify.html",
        {"certificate": certificate, "validity": certificates.validity_of(certificate)},
    )


def home_panel_context(request) -> dict:
    """The staff home page's lifecycle panel: how many studios are on each list today."""
    ids = schedules.schedule_studio_ids(timezone.localdate())
    return {
        "lifecycle_tabs": [(k, LIST_TITLES[k], len(ids[k])) for k in schedules.LISTS],
        "pending_renames": RenameRequest.objects.filter(status=RenameStatus.PENDING).count(),
    }
