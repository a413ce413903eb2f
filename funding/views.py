"""Pages of the funds. Thin: fetch through the user's scope (another enterprise's studio or
grant is a 404), check the permission, validate, call the service, put its refusal on the form.
Read-only pages accept GET only, so an auditor's POST anywhere here is refused."""

from collections import defaultdict
from decimal import Decimal

import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from audit.models import AuditEvent
from audit.registry import readable_events
from core.exports import XLSX_MIME, build_workbook
from core.files import serve_private_file
from core.forms import put_errors_on_form, show_refusal
from core.listing import FilteredListView
from core.pdf import render_pdf
from core.refusals import refuse
from studios.queries import studios_visible_to

from . import queries, services
from .charts import grouped_bars
from .forms import (
    DisbursementForm,
    ExpenditureForm,
    PeriodForm,
    ReasonForm,
    RejectForm,
    RepaymentForm,
    ViolationForm,
)
from .models import (
    Disbursement,
    DisbursementStatus,
    Expenditure,
    ExpenditureCategory,
    ExpenditureStatus,
    Grant,
    GrantCause,
    GrantStatus,
    Payer,
    Repayment,
    Sanction,
    SanctionKind,
    SanctionStatus,
    Violation,
)


def _require(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _visible_studio(request, pk, perm="funding.view_studio_funds"):
    studio = get_object_or_404(studios_visible_to(request.user), pk=pk)
    _require(request, perm, studio)
    return studio


def _visible_grant(request, pk, perm="funding.view_studio_funds"):
    grant = get_object_or_404(queries.grants_visible_to(request.user), pk=pk)
    _require(request, perm, grant.studio)
    return grant


def _form_page(request, form, *, title, subtitle="", note="", cancel_url, submit=None):
    return render(
        request,
        "funding/form_page.html",
        {
            "form": form,
            "title": title,
            "subtitle": subtitle,
            "note": note,
            "cancel_url": cancel_url,
            "submit": submit or _("Save"),
        },
    )


# --- Dashboard ------------------------------------------------------------------------------


@login_required
@require_GET
def dashboard(request):
    _require(request, "funding.view_dashboard")
    figures = queries.dashboard_figures()
    payer_labels = dict(Payer.choices)
    for row in figures["rows"]:
        row["payer_label"] = payer_labels.get(row["payer"], row["payer"])
    years = [{**y, "label": str(y["year"])} for y in queries.by_year(figures["rows"])]
    chart = grouped_bars(
        years,
        [("granted", _("Granted")), ("paid", _("Paid")), ("recovered", _("Recovered"))],
        _("Support grants by year, in 10,000 CNY"),
    )
    today = timezone.localdate()
    context = {
        "figures": figures,
        "chart": chart,
        "pending": list(queries.pending_disbursements().order_by("recorded_at")[:20]),
        "pending_count": queries.pending_disbursements().count(),
        "pending_expenditures": list(
            queries.pending_expenditure_reversals().order_by("recorded_at")[:20]
        ),
        "pending_expenditure_count": queries.pending_expenditure_reversals().count(),
        "period_form": PeriodForm(initial={"start": today.replace(month=1, day=1), "end": today}),
        "can_export": request.user.has_perm("funding.export_money"),
        "can_approve": request.user.has_perm("funding.approve_disbursement"),
    }
    return render(request, "funding/dashboard.html", context)


# --- Grants ---------------------------------------------------------------------------------


class GrantFilter(django_filters.FilterSet):
    studio = django_filters.CharFilter(
        field_name="studio__name", lookup_expr="icontains", label=gettext_lazy("Studio")
    )
    payer = django_filters.ChoiceFilter(choices=Payer.choices, label=gettext_lazy("Payer"))
    cause = django_filters.ChoiceFilter(choices=GrantCause.choices, label=gettext_lazy("Cause"))
    year = django_filters.NumberFilter(
        field_name="granted_on", lookup_expr="year", label=gettext_lazy("Year")
    )

    class Meta:
        model = Grant
        fields = ["studio", "payer", "cause", "year"]


class GrantListView(FilteredListView):
    template_name = "funding/grant_list.html"
    filterset_class = GrantFilter
    sort_fields = {
        "studio": "studio__name",
        "granted": "granted_on",
        "amount": "amount",
        "paid": "paid",
        "payer": "payer",
    }
    default_sort = "-granted"
    export_filename = "grants"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("funding.list_grants"):
            raise PermissionDenied
        if request.method != "GET" and request.user.is_authenticated:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        paid = Q(disbursements__status=DisbursementStatus.PAID)
        pending = Q(disbursements__status=DisbursementStatus.PENDING, disbursements__amount__gt=0)
        qs = queries.grants_visible_to(self.request.user).annotate(
            paid=Coalesce(Sum("disbursements__amount", filter=paid), Decimal("0")),
            pending=Coalesce(Sum("disbursements__amount", filter=pending), Decimal("0")),
        )
        return qs.order_by(*self.get_ordering())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_export"] = self.request.user.has_perm("funding.export_money")
        return context

    def export_rows(self, queryset):
        if not self.request.user.has_perm("funding.export_money"):
            raise PermissionDenied
        headers = [
            _("Studio"),
            _("Enterprise"),
            _("Cause"),
            _("Cycle"),
            _("Payer"),
            _("Granted on"),
            _("Amount"),
            _("Paid"),
            _("Awaiting approval"),
            _("Status"),
        ]
        rows = (
            [
                g.studio.name,
                g.studio.enterprise.name,
                g.get_cause_display(),
                g.cycle_number,
                g.get_payer_display(),
                g.granted_on,
                g.amount,
                g.paid,
                g.pending,
                g.get_status_display(),
            ]
            for g in queryset
        )
        return headers, rows


@login_required
@require_GET
def grant_detail(request, pk):
    grant = _visible_grant(request, pk)
    disbursements = list(
        grant.disbursements.select_related("recorded_by", "decided_by", "reverses")
    )
    # a payment with a reversal awaiting approval or approved cannot be reversed again (R27)
    reversed_ids = {
        d.reverses_id
        for d in disbursements
        if d.is_reversal and d.status != DisbursementStatus.REJECTED
    }
    paid, pending = queries.paid_total(grant), queries.pending_total(grant)
    left = max(grant.amount - paid - pending, Decimal("0.00"))
    context = {
        "grant": grant,
        "studio": grant.studio,
        "disbursements": disbursements,
        "reversed_ids": reversed_ids,
        "paid": paid,
        "pending": pending,
        "left": left,
        "can_record": request.user.has_perm("funding.record_disbursement", grant)
        and grant.status == GrantStatus.ACTIVE
        and left > 0,
        "can_approve": request.user.has_perm("funding.approve_disbursement", grant),
        "can_reverse": request.user.has_perm("funding.reverse_disbursement", grant),
        "suspension": queries.active_suspension(grant.studio),
        "reject_form": RejectForm(),
    }
    return render(request, "funding/grant_detail.html", context)


# --- Disbursements --------------------------------------------------------------------------


@login_required
def disbursement_create(request, pk):
    grant = _visible_grant(request, pk, "funding.record_disbursement")
    if request.method != "POST" and queries.remaining(grant) <= 0:
        refusal = refuse("R26", _("nothing of this grant is left to pay."))
        messages.error(request, " ".join(refusal.messages))
        return redirect("funding:grant_detail", pk=grant.pk)
    form = DisbursementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_disbursement(request.user, grant, data, data["form_token"])
        except ValidationError as exc:
            put_errors_on_form(form, exc)
        else:
            messages.success(
                request, _("Payment recorded. A second finance user must now approve it.")
            )
            return redirect("funding:grant_detail", pk=grant.pk)
    return _form_page(
        request,
        form,
        title=_("Record a payment"),
        note=_(
            "Four-eyes rule (Article 27): the payment counts as paid only once a second finance "
            "user approves it. The total paid can never exceed the grant (Article 26)."
        ),
        subtitle=_("%(grant)s · at most %(left)s CNY may still be recorded")
        % {"grant": grant, "left": queries.remaining(grant)},
        cancel_url=reverse("funding:grant_detail", args=[grant.pk]),
    )


def _visible_disbursement(request, pk, perm):
    disbursement = get_object_or_404(
        Disbursement.objects.select_related("grant", "grant__studio"),
        pk=pk,
        grant__in=queries.grants_visible_to(request.user),
    )
    _require(request, perm, disbursement.grant)
    return disbursement


@login_required
@require_POST
def disbursement_approve(request, pk):
    disbursement = _visible_disbursement(request, pk, "funding.approve_disbursement")
    try:
        services.approve_disbursement(request.user, disbursement)
    except ValidationError as exc:
        show_refusal(request, exc)
    else:
        if disbursement.is_reversal:
            messages.success(request, _("Reversal approved: the payment no longer counts."))
        else:
            messages.success(request, _("Payment approved: it now counts as paid."))
    return redirect("funding:grant_detail", pk=disbursement.grant_id)


@login_required
@require_POST
def disbursement_reject(request, pk):
    disbursement = _visible_disbursement(request, pk, "funding.approve_disbursement")
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.reject_disbursement(request.user, disbursement, form.cleaned_data["note"])
        except ValidationError as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, _("Payment rejected."))
    else:
        messages.error(
            request, " ".join(refuse("R27", _("Say why the payment is rejected.")).messages)
        )
    return redirect("funding:grant_detail", pk=disbursement.grant_id)


@login_required
def disbursement_reverse(request, pk):
    disbursement = _visible_disbursement(request, pk, "funding.reverse_disbursement")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reverse_disbursement(request.user, disbursement, form.cleaned_data["reason"])
        except ValidationError as exc:
            put_errors_on_form(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Reversing entry recorded. It counts only once a second finance user "
                    "approves it."
                ),
            )
            return redirect("funding:grant_detail", pk=disbursement.grant_id)
    return _form_page(
        request,
        form,
        title=_("Reverse a payment"),
        subtitle=str(disbursement),
        note=_(
            "Money records are never edited or deleted: a reversing entry corrects them. "
            "Article 27: the reversal counts only once a second finance user approves it."
        ),
        cancel_url=reverse("funding:grant_detail", args=[disbursement.grant_id]),
    )


@login_required
@require_GET
def disbursement_attachment(request, pk):
    disbursement = _visible_disbursement(request, pk, "funding.view_money_files")
    return serve_private_file(disbursement.attachment)


# --- A studio's account (R27: separately accounted) -----------------------------------------


def studio_account(studio) -> dict:
    """A studio's money as the union and the auditors read it. Money received and money awaiting
    approval are listed apart (R27: pending money is never shown as received); rejected records
    changed nothing and are left out."""
    grants = list(studio.grants.all())
    disbursements = list(
        Disbursement.objects.filter(grant__studio=studio)
        .exclude(status=DisbursementStatus.REJECTED)
        .select_related("grant", "recorded_by", "decided_by")
        .order_by("paid_on", "pk")
    )
    expenditures = list(
        Expenditure.objects.filter(studio=studio)
        .select_related("recorded_by")
        .order_by("spent_on", "pk")
    )
    sanctions = list(
        Sanction.objects.filter(studio=studio).select_related("violation", "grant", "lifted_by")
    )
    repayments = list(
        Repayment.objects.filter(sanction__studio=studio).order_by("received_on", "pk")
    )
    by_category = defaultdict(Decimal)
    for e in expenditures:
        if e.counts:
            by_category[e.category] += e.amount
    categories = [
        (label, by_category[value])
        for value, label in ExpenditureCategory.choices
        if by_category[value]
    ]
    reversed_ids = {
        e.reverses_id
        for e in expenditures
        if e.reverses_id and e.status != ExpenditureStatus.REJECTED
    }
    return {
        "studio": studio,
        "grants": grants,
        "received": [d for d in disbursements if d.status == DisbursementStatus.PAID],
        "pending_money": [d for d in disbursements if d.status == DisbursementStatus.PENDING],
        "expenditures": [e for e in expenditures if e.status != ExpenditureStatus.PENDING],
        "pending_expenditures": [e for e in expenditures if e.status == ExpenditureStatus.PENDING],
        "reversed_expenditure_ids": reversed_ids,
        "sanctions": sanctions,
        "repayments": repayments,
        "categories": categories,
        "money": queries.money_of(studio),
        "suspension": next(
            (
                s
                for s in sanctions
                if s.kind == SanctionKind.SUSPEND and s.status == SanctionStatus.IN_FORCE
            ),
            None,
        ),
    }


@login_required
@require_GET
def studio_funds(request, pk):
    studio = _visible_studio(request, pk)
    context = studio_account(studio)
    user = request.user
    context.update(
        {
            "can_spend": user.has_perm("funding.record_expenditure", studio),
            "can_sanction": user.has_perm("funding.record_sanction", studio),
            "can_lift": user.has_perm("funding.lift_suspension", studio),
            "can_repay": user.has_perm("funding.record_repayment", studio),
            "can_approve_reversal": user.has_perm("funding.approve_expenditure_reversal", studio),
            "events": readable_events(
                AuditEvent.objects.for_studio(studio.pk).filter(action__startswith="funding."),
                user,
                100,
            ),
        }
    )
    return render(request, "funding/studio_funds.html", context)


@login_required
@require_GET
def statement_pdf(request, pk):
    studio = _visible_studio(request, pk)
    context = studio_account(studio)
    context["today"] = timezone.localdate()
    pdf = render_pdf("funding/pdf/statement.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="statement-{studio.pk}.pdf"'
    return response


# --- Spending ------------------------------------------------------------------------------


@login_required
def expenditure_create(request, pk):
    studio = _visible_studio(request, pk, "funding.record_expenditure")
    form = ExpenditureForm(request.POST or None, request.FILES or None, studio=studio)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_expenditure(request.user, studio, data, data["form_token"])
        except ValidationError as exc:
            put_errors_on_form(form, exc)
        else:
            messages.success(request, _("Expenditure recorded."))
            return redirect("funding:studio_funds", pk=studio.pk)
    balance = queries.money_of(studio).balance
    return _form_page(
        request,
        form,
        title=_("Record an expenditure"),
        subtitle=_("%(studio)s · balance %(balance)s CNY")
        % {"studio": studio.name, "balance": balance},
        note=_(
            "Article 28: support funds pay for the studio's innovation projects: equipment, "
            "materials, testing and processing, fuel and power, expert lectures, consulting, "
            "labour, training, meetings and other project costs. Attach the receipt."
        ),
        cancel_url=reverse("funding:studio_funds", args=[studio.pk]),
    )


def _visible_expenditure(request, pk, perm):
    expenditure = get_object_or_404(
        Expenditure.objects.select_related("studio"),
        pk=pk,
        studio__in=studios_visible_to(request.user),
    )
    _require(request, perm, expenditure.studio)
    return expenditure


@login_required
def expenditure_reverse(request, pk):
    expenditure = _visible_expenditure(request, pk, "funding.reverse_expenditure")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reverse_expenditure(request.user, expenditure, form.cleaned_data["reason"])
        except ValidationError as exc:
            put_errors_on_form(form, exc)
        else:
            messages.success(
                request,
                _("Reversing entry recorded. It counts only once a finance user approves it."),
            )
            return redirect("funding:studio_funds", pk=expenditure.studio_id)
    return _form_page(
        request,
        form,
        title=_("Reverse an expenditure"),
        subtitle=str(expenditure),
        note=_(
            "Money records are never edited or deleted: a reversing entry corrects them. "
            "Article 27: the reversal counts only once a finance user approves it."
        ),
        cancel_url=reverse("funding:studio_funds", args=[expenditure.studio_id]),
    )


@login_required
@require_POST
def expenditure_reversal_approve(request, pk):
    reversal = _visible_expenditure(request, pk, "funding.approve_expenditure_reversal")
    try:
        services.approve_expenditure_reversal(request.user, reversal)
    except ValidationError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("Reversal approved: the expenditure no longer counts."))
    return redirect("funding:studio_funds", pk=reversal.studio_id)


@login_required
@require_POST
def expenditure_reversal_reject(request, pk):
    reversal = _visible_expenditure(request, pk, "funding.approve_expenditure_reversal")
    try:
        services.reject_expenditure_reversal(request.user, reversal, request.POST.get("note", ""))
    except ValidationError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("Reversal rejected: the expenditure stands."))
    return redirect("funding:studio_funds", pk=reversal.studio_id)


@login_required
@require_GET
def expenditure_receipt(request, pk):
    expenditure = _visible_expenditure(request, pk, "funding.view_money_files")
    return serve_private_file(expenditure.receipt)


# --- Sanctions (R29) ------------------------------------------------------------------------


@login_required
def violation_create(request, pk):
    studio = _visible_studio(request, pk, "funding.record_sanction")
    form = ViolationForm(request.POST or None, request.FILES or None, grants=studio.grants.all())
    if request.method == "POST" and form.is_valid():
        try:
            services.record_violation(request.user, studio, form.cleaned_data, form.sanctions())
        except ValidationError as exc:
            put_errors_on_form(form, exc)
        else:
            messages.success(request, _("Finding and sanctions recorded."))
            return redirect("funding:studio_funds", pk=studio.pk)
    return _form_page(
        request,
        form,
        title=_("Record an R29 finding and sanctions"),
        subtitle=studio.name,
        note=_(
            "Article 29: by severity, suspend the disbursement and use of support funds, recover "
            "paid funds, cancel the grant, and bar re-application for a period."
        ),
        cancel_url=reverse("funding:studio_funds", args=[studio.pk]),
    )


@login_required
@require_GET
def violation_evidence(request, pk):
    violation = get_object_or_404(
        Violation.objects.select_related("studio"),
        pk=pk,
        studio__in=studios_visible_to(request.user),
    )
    _require(request, "funding.view_sanction_evidence", violation.studio)
    return serve_private_file(violation.evidence)


class SanctionFilter(django_filters.FilterSet):
    studio = django_filters.CharFilter(
        field_name="studio__name", lookup_expr="icontains", label=gettext_lazy("Studio")
    )
    kind = django_filters.ChoiceFilter(choices=SanctionKind.choices, label=gettext_lazy("Sanction"))
    status = django_filters.ChoiceFilter(
        choices=SanctionStatus.choices, label=gettext_lazy("Status")
    )

    class Meta:
        model = Sanction
        fields = ["studio", "kind", "status"]


class SanctionListView(FilteredListView):
    template_name = "funding/sanction_list.html"
    filterset_class = SanctionFilter
    sort_fields = {"studio": "studio__name", "imposed": "imposed_on", "kind": "kind"}
    default_sort = "-imposed"
    export_filename = "sanctions"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("funding.list_sanctions"):
            raise PermissionDenied
        if request.method != "GET" and request.user.is_authenticated:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        qs = Sanction.objects.select_related(
            "studio", "studio__enterprise", "violation", "grant", "imposed_by", "lifted_by"
        ).annotate(repaid=Coalesce(Sum("repayments__amount"), Decimal("0")))
        return qs.order_by(*self.get_ordering())

    def export_rows(self, queryset):
        headers = [
            _("Studio"),
            _("Prohibited behaviour (R29)"),
            _("Sanction"),
            _("Imposed on"),
            _("Amount to recover"),
            _("Repaid"),
            _("Barred until"),
            _("Status"),
        ]
        rows = (
            [
                s.studio.name,
                s.violation.get_behaviour_display(),
                s.get_kind_display(),
                s.imposed_on,
                s.amount_due,
                s.repaid,
                s.bar_until,
                s.get_status_display(),
            ]
            for s in queryset
        )
        return headers, rows


def _visible_sanction(request, pk, perm):
    sanction = get_object_or_404(
        Sanction.objects.select_related("studio"),
        pk=pk,
        studio__in=studios_visible_to(request.user),
    )
    _require(request, perm, sanction.studio)
    return sanction


@login_required
def suspension_lift(request, pk):
    sanction = _visible_sanction(request, pk, "funding.lift_suspension")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.lift_suspension(request.user, sanction, form.cleaned_data["reason"])
        except ValidationError as exc:
            put_errors_on_form(form, exc)
        else:
            messages.success(request, _("Suspension lifted."))
            return redirect("funding:studio_funds", pk=sanction.studio_id)
    return _form_page(
        request,
        form,
        title=_("Lift the suspension"),
        subtitle=str(sanction),
        note=_("Lifting a suspension lets payments and spending resume; it is recorded."),
        cancel_url=reverse("funding:studio_funds", args=[sanction.studio_id]),
        submit=_("Lift the suspension"),
    )


@login_required
def repayment_create(request, pk):
    sanction = _visible_sanction(request, pk, "funding.record_repayment")
    form = RepaymentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_repayment(request.user, sanction, data, data["form_token"])
        except ValidationError as exc:
            put_errors_on_form(form, exc)
        else:
            messages.success(request, _("Repayment recorded."))
            return redirect("funding:studio_funds", pk=sanction.studio_id)
    return _form_page(
        request,
        form,
        title=_("Record a repayment"),
        subtitle=_("%(sanction)s · still due %(due)s CNY")
        % {"sanction": sanction, "due": queries.recovery_outstanding(sanction)},
        note=_("Article 29: recovered funds are recorded with the receipt of the repayment."),
        cancel_url=reverse("funding:studio_funds", args=[sanction.studio_id]),
    )


@login_required
@require_GET
def repayment_receipt(request, pk):
    repayment = get_object_or_404(
        Repayment.objects.select_related("sanction__studio"),
        pk=pk,
        sanction__studio__in=studios_visible_to(request.user),
    )
    _require(request, "funding.view_money_files", repayment.sanction.studio)
    return serve_private_file(repayment.receipt)


# --- Export ---------------------------------------------------------------------------------


@login_required
@require_GET
def money_export(request):
    """Every money record of a period, one sheet per kind, for the auditors (R27)."""
    _require(request, "funding.export_money")
    form = PeriodForm(request.GET or None)
    if not form.is_valid():
        messages.error(request, " ".join(refuse("R27", _("Choose the period to export.")).messages))
        return redirect("funding:dashboard")
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    sheets = money_sheets(start, end)
    response = HttpResponse(build_workbook(sheets), content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="funds-{start}-{end}.xlsx"'
    return response


def money_sheets(start, end):
    grants = Grant.objects.filter(granted_on__range=(start, end)).select_related(
        "studio", "studio__enterprise"
    )
    disbursements = Disbursement.objects.filter(paid_on__range=(start, end)).select_related(
        "grant__studio", "recorded_by", "decided_by"
    )
    expenditures = Expenditure.objects.filter(spent_on__range=(start, end)).select_related(
        "studio", "recorded_by"
    )
    repayments = Repayment.objects.filter(received_on__range=(start, end)).select_related(
        "sanction__studio", "recorded_by"
    )
    return [
        (
            _("Grants"),
            [_("Grant"), _("Studio"), _("Enterprise"), _("Cause"), _("Cycle"), _("Payer")]
            + [_("Granted on"), _("Amount"), _("Status")],
            (
                [g.pk, g.studio.name, g.studio.enterprise.name, g.get_cause_display()]
                + [g.cycle_number, g.get_payer_display(), g.granted_on, g.amount]
                + [g.get_status_display()]
                for g in grants.order_by("granted_on", "pk")
            ),
        ),
        (
            _("Disbursements"),
            [_("Record"), _("Grant"), _("Studio"), _("Payment date"), _("Amount")]
            + [_("Voucher number"), _("Bank reference"), _("Status"), _("Recorded by")]
            + [_("Approved by"), _("Reverses"), _("Reason")],
            (
                [d.pk, d.grant_id, d.grant.studio.name, d.paid_on, d.amount, d.voucher_number]
                + [d.bank_reference, d.get_status_display(), str(d.recorded_by)]
                + [str(d.decided_by or ""), d.reverses_id, d.reason or d.decision_note]
                for d in disbursements.order_by("paid_on", "pk")
            ),
        ),
        (
            _("Expenditures"),
            [_("Record"), _("Studio"), _("Date"), _("Category (R28)"), _("Amount"), _("Payee")]
            + [_("Purpose"), _("Linked innovation project"), _("Recorded by"), _("Reverses")]
            + [_("Reason"), _("Status")],
            (
                [e.pk, e.studio.name, e.spent_on, e.get_category_display(), e.amount, e.payee]
                + [e.purpose, e.project_name, str(e.recorded_by), e.reverses_id, e.reason]
                + [e.get_status_display()]
                for e in expenditures.order_by("spent_on", "pk")
            ),
        ),
        (
            _("Repayments"),
            [_("Record"), _("Studio"), _("Received on"), _("Amount"), _("Recorded by")],
            (
                [r.pk, r.sanction.studio.name, r.received_on, r.amount, str(r.recorded_by)]
                for r in repayments.order_by("received_on", "pk")
            ),
        ),
    ]
