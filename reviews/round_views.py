"""Pages of review rounds: thin. Staff pages fetch through ``rounds_visible_to`` and check the
permission; expert pages fetch through the expert's own assignments, so an entry they are not
(or no longer) assigned to is simply not found."""

import django_filters
import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role, User
from core.exports import xlsx_response
from core.files import serve_private_file
from core.forms import put_errors_on_form, show_refusal
from core.listing import FilteredListView, per_page_of
from core.pdf import render_pdf
from core.refusals import refuse

from . import round_services as services
from .models import ApplicationMaterial
from .round_forms import (
    AssignForm,
    CriterionFormSet,
    DecisionForm,
    ExpertProfileForm,
    HonourCorrectionForm,
    ReasonForm,
    RoundFromCallForm,
    RoundFromStudiosForm,
    RoundSettingsForm,
    StageForm,
    rubric_rows,
    score_fields,
    score_points,
)
from .round_models import (
    Assignment,
    AssignmentState,
    ConflictDeclaration,
    CriterionScore,
    Decision,
    ExpertProfile,
    HonourCorrection,
    ReviewRound,
    RoundEntry,
    RoundKind,
    RoundStage,
    RoundStatus,
    StagePhoto,
)
from .round_queries import (
    annotate_flags,
    assignment_list_of,
    assignments_of,
    result_of,
    results_for,
    rounds_visible_to,
    rounds_with_counts,
    with_expert_totals,
    without_snapshots,
)


def _round(request, pk, perm="reviews.view_round") -> ReviewRound:
    review_round = get_object_or_404(rounds_visible_to(request.user), pk=pk)
    if not request.user.has_perm(perm, review_round):
        raise PermissionDenied
    return review_round


def _require_global(request, perm="reviews.list_rounds"):
    """A page about no one object: the user's role must allow it."""
    if not request.user.has_perm(perm):
        raise PermissionDenied


# --- Rounds (staff) ------------------------------------------------------------------------


@login_required
@require_POST
def round_from_schedule(request):
    """The lifecycle schedules' "review this list" button."""
    _require_global(request, "reviews.manage_rounds")
    schedule = request.POST.get("list", "")
    try:
        months = int(request.POST.get("window") or 0)  # calendar months (R24)
    except ValueError:
        months = 0
    window = months if months > 0 else None
    try:
        review_round = services.create_round_from_schedule(request.user, schedule, window=window)
    except ValidationError as exc:
        show_refusal(request, exc)
        return redirect(f"{reverse('studios:schedules')}?list={schedule}")
    messages.success(
        request,
        _("Review round “%(name)s” created with %(n)s studios. Set its rubric and experts.")
        % {"name": review_round.name, "n": review_round.entries.count()},
    )
    return redirect("reviews:round_detail", pk=review_round.pk)


class RoundFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=RoundKind.choices, label=gettext_lazy("Kind"))
    status = django_filters.ChoiceFilter(choices=RoundStatus.choices, label=gettext_lazy("Status"))

    class Meta:
        model = ReviewRound
        fields = ["kind", "status"]


class RoundListView(FilteredListView):
    template_name = "reviews/rounds/round_list.html"
    filterset_class = RoundFilter
    sort_fields = {"name": "name", "kind": "kind", "deadline": "scoring_deadline"}
    default_sort = ""
    export_filename = "review-rounds"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _require_global(request)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return rounds_with_counts(rounds_visible_to(self.request.user)).order_by("-created_at")

    def export_rows(self, queryset):
        headers = [_("Name"), _("Kind"), _("Status"), _("Scoring deadline"), _("Entries")]
        rows = [
            (r.name, r.get_kind_display(), r.get_status_display(), r.scoring_deadline, r.n_entries)
            for r in queryset
        ]
        return headers, rows


@login_required
def round_create(request):
    _require_global(request, "reviews.manage_rounds")
    from_call = RoundFromCallForm(prefix="call")
    from_studios = RoundFromStudiosForm(prefix="studios")
    if request.method == "POST":
        try:
            if "from_call" in request.POST:
                from_call = RoundFromCallForm(request.POST, prefix="call")
                if from_call.is_valid():
                    review_round = services.create_round_for_call(
                        request.user,
                        from_call.cleaned_data["call"],
                        {"name": from_call.cleaned_data["name"], **from_call.round_data()},
                    )
                    return redirect("reviews:round_detail", pk=review_round.pk)
            else:
                from_studios = RoundFromStudiosForm(request.POST, prefix="studios")
                if from_studios.is_valid():
                    review_round = services.create_round_for_studios(
                        from_studios.cleaned_data["kind"],
                        [s.pk for s in from_studios.cleaned_data["studios"]],
                        request.user,
                        name=from_studios.cleaned_data["name"],
                        **from_studios.round_data(),
                    )
                    return redirect("reviews:round_detail", pk=review_round.pk)
        except ValidationError as exc:
            put_errors_on_form(from_call if "from_call" in request.POST else from_studios, exc)
    return render(
        request,
        "reviews/rounds/round_create.html",
        {"from_call": from_call, "from_studios": from_studios},
    )


@login_required
def round_detail(request, pk):
    review_round = _round(request, pk)
    entries = (
        review_round.entries.select_related("studio", "decision")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("expert").order_by("expert__username"),
            )
        )
        .order_by("pk")
    )
    loads = (
        Assignment.objects.filter(entry__round=review_round)
        .values("expert__username", "expert__first_name", "expert__last_name")
        .annotate(n=Count("pk"), done=Count("pk", filter=Q(state=AssignmentState.SUBMITTED)))
        .order_by("expert__username")
    )
    return render(
        request,
        "reviews/rounds/round_detail.html",
        {
            "round": review_round,
            "entries": entries,
            "loads": loads,
            "stages": review_round.stages.prefetch_related("photos"),
            "criteria": review_round.criteria.all(),
            "actions": [
                (a, services.ROUND_ACTION_LABELS[a])
                for a in services.allowed_round_actions(review_round)
            ],
            "can_manage": request.user.has_perm("reviews.manage_rounds", review_round),
            "can_assign": review_round.status in (RoundStatus.DRAFT, RoundStatus.SCORING),
        },
    )


@login_required
def round_edit(request, pk):
    review_round = _round(request, pk, "reviews.manage_rounds")
    form = RoundSettingsForm(request.POST or None, instance=review_round)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_round(request.user, review_round, form.service_data())
        except ValidationError as exc:
            put_errors_on_form(form, exc)
        else:
            messages.success(request, _("Round saved."))
            return redirect("reviews:round_detail", pk=pk)
    review_round.refresh_from_db()
    return render(request, "reviews/rounds/round_edit.html", {"round": review_round, "form": form})


@login_required
def round_rubric(request, pk):
    review_round = _round(request, pk, "reviews.manage_rounds")
    initial = [
        {f: getattr(c, f) for f in CriterionFormSet.form.Meta.fields}
        for c in review_round.criteria.all()
    ]
    formset = CriterionFormSet(request.POST or None, initial=initial)
    if request.method == "POST" and formset.is_valid():
        try:
            services.save_rubric(request.user, review_round, rubric_rows(formset))
        except ValidationError as exc:
            formset._non_form_errors = formset.error_class(exc.messages)
        else:
            messages.success(request, _("Rubric saved."))
            return redirect("reviews:round_detail", pk=pk)
    return render(
        request,
        "reviews/rounds/round_rubric.html",
        {"round": review_round, "formset": formset},
    )


@login_required
def round_stage(request, pk, stage_pk):
    review_round = _round(request, pk, "reviews.manage_rounds")
    stage = get_object_or_404(RoundStage, pk=stage_pk, round=review_round)
    form = StageForm(request.POST or None, request.FILES or None, instance=stage)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in StageForm.Meta.fields}
        photo = form.cleaned_data.get("photo")
        try:
            services.update_stage(request.user, stage, data, [photo] if photo else [])
        except ValidationError as exc:
            put_errors_on_form(form, exc)
        else:
            messages.success(request, _("Stage saved."))
            return redirect("reviews:round_detail", pk=pk)
    return render(
        request,
        "reviews/rounds/stage_form.html",
        {"round": review_round, "stage": stage, "form": form},
    )


@login_required
def stage_photo(request, pk, photo_pk):
    review_round = _round(request, pk)
    photo = get_object_or_404(StagePhoto, pk=photo_pk, stage__round=review_round)
    return serve_private_file(photo.file, photo.original_name, inline=True)


@login_required
@require_POST
def round_transition(request, pk, action):
    review_round = _round(request, pk, "reviews.manage_rounds")
    if action not in services.ROUND_ACTION_LABELS:
        raise Http404
    try:
        services.transition_round(request.user, review_round, action)
    except ValidationError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, services.ROUND_ACTION_LABELS[action])
    return redirect("reviews:round_detail", pk=pk)


@login_required
@require_POST
def round_auto_assign(request, pk):
    review_round = _round(request, pk, "reviews.manage_rounds")
    try:
        made = services.auto_assign(request.user, review_round)
    except ValidationError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("%(n)s assignments made.") % {"n": made})
    return redirect("reviews:round_detail", pk=pk)


# --- Entries (staff) ---------------------------------------------------------------------


def _entry(request, pk, entry_pk, perm="reviews.view_round"):
    review_round = _round(request, pk, perm)
    entry = get_object_or_404(
        RoundEntry.objects.select_related("studio", "application"), pk=entry_pk, round=review_round
    )
    entry.round = review_round
    return review_round, entry


@login_required
def entry_detail(request, pk, entry_pk):
    review_round, entry = _entry(request, pk, entry_pk)
    assign_form = AssignForm(request.POST or None)
    correction_form = HonourCorrectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        _require_perm(request, "reviews.manage_rounds", review_round)
        try:
            if "assign" in request.POST and assign_form.is_valid():
                services.assign_expert(request.user, entry, assign_form.cleaned_data["expert"])
                messages.success(request, _("Expert assigned."))
                return redirect(request.path)
            if "correct" in request.POST and correction_form.is_valid():
                services.correct_honour(
                    request.user,
                    entry,
                    action=correction_form.cleaned_data["action"],
                    honour_kind=correction_form.cleaned_data["honour_kind"],
                    evidence=correction_form.cleaned_data["evidence"],
                    reason=correction_form.cleaned_data["reason"],
                )
                messages.success(request, _("Honour corrected; the bonus is recomputed."))
                return redirect(request.path)
        except ValidationError as exc:
            put_errors_on_form(assign_form if "assign" in request.POST else correction_form, exc)
    if "assign" not in request.POST:
        assign_form = AssignForm()
    if "correct" not in request.POST:
        correction_form = HonourCorrectionForm()
    assignments = entry.assignments.select_related("expert").prefetch_related(
        Prefetch("scores", queryset=CriterionScore.objects.select_related("criterion"))
    )
    return render(
        request,
        "reviews/rounds/entry_detail.html",
        {
            "round": review_round,
            "entry": entry,
            "snap": entry.snapshot,
            "assignments": assignments,
            "conflicts": ConflictDeclaration.objects.filter(entry=entry).select_related("expert"),
            "corrections": HonourCorrection.objects.filter(entry=entry).select_related(
                "created_by"
            ),
            "materials": _materials_of(entry),
            "assign_form": assign_form,
            "correction_form": correction_form,
            "reopen_form": ReasonForm(),
            "can_manage": request.user.has_perm("reviews.manage_rounds", review_round),
        },
    )


def _require_perm(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _materials_of(entry):
    if entry.application_id is None:
        return []
    return list(ApplicationMaterial.objects.filter(application_id=entry.application_id))


@login_required
def entry_material(request, pk, entry_pk, material_pk):
    _review_round, entry = _entry(request, pk, entry_pk)
    material = get_object_or_404(
        ApplicationMaterial, pk=material_pk, application_id=entry.application_id
    )
    return serve_private_file(material.file, material.original_name)


@login_required
def correction_evidence(request, pk, correction_pk):
    review_round = _round(request, pk)
    correction = get_object_or_404(HonourCorrection, pk=correction_pk, entry__round=review_round)
    return serve_private_file(correction.evidence, correction.evidence_name or None)


@login_required
@require_POST
def assignment_remove(request, pk):
    assignment = get_object_or_404(Assignment.objects.select_related("entry__round"), pk=pk)
    review_round = _round(request, assignment.entry.round_id, "reviews.manage_rounds")
    try:
        services.unassign_expert(request.user, assignment)
    except ValidationError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("Expert removed from the entry."))
    return redirect("reviews:entry_detail", pk=review_round.pk, entry_pk=assignment.entry_id)


@login_required
@require_POST
def assignment_reopen(request, pk):
    assignment = get_object_or_404(Assignment.objects.select_related("entry__round"), pk=pk)
    review_round = _round(request, assignment.entry.round_id, "reviews.reopen_score")
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise refuse("R17", _("Give the reason for reopening."), field="reason")
        services.reopen_score(request.user, assignment, form.cleaned_data["reason"])
    except ValidationError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("Score reopened; the expert was told."))
    return redirect("reviews:entry_detail", pk=review_round.pk, entry_pk=assignment.entry_id)


# --- Results -----------------------------------------------------------------------------

#: A round has a few hundred entries; rendering all of them with their expert totals took
#: 0.1 s of CPU per request (``make bench``), so the ranking is paged; the export has them all.
RESULTS_PAGE_SIZES = (50, 100, 200, 500)
RESULTS_DEFAULT_PER_PAGE = 50


@login_required
def round_results(request, pk):
    review_round = _round(request, pk)
    if request.GET.get("export") == "xlsx":
        rows = annotate_flags(list(with_expert_totals(results_for(review_round))), review_round)
        return _results_xlsx(review_round, rows)
    per_page = per_page_of(request, RESULTS_PAGE_SIZES, RESULTS_DEFAULT_PER_PAGE)
    ranked = with_expert_totals(without_snapshots(results_for(review_round)))
    page = Paginator(ranked, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "reviews/rounds/round_results.html",
        {
            "round": review_round,
            "rows": annotate_flags(page.object_list, review_round),
            "page_obj": page,
            "per_page": per_page,
            "page_sizes": RESULTS_PAGE_SIZES,
            "page_query": params.urlencode(),
        },
    )


def _results_xlsx(review_round, rows):
    headers = [
        _("Rank"),
        _("Studio"),
        _("Enterprise"),
        _("Application"),
        _("Scores"),
        _("Expert totals"),
        _("Aggregate"),
        _("Spread"),
        _("Bonus"),
        _("Final score"),
        _("Decision"),
    ]
    data = [
        (
            None if r.no_rank else r.rank,
            r.studio_name,
            r.enterprise_name,
            r.snapshot.get("number") or "",
            r.n_scores,
            " / ".join(str(a.total) for a in r.assignments.all() if a.is_submitted),
            r.aggregate,
            round(float(r.spread), 2) if r.spread is not None else None,
            r.bonus,
            r.final,
            r.decision.get_outcome_display() if _has_decision(r) else "",
        )
        for r in rows
    ]
    return xlsx_response(f"results-{review_round.pk}", headers, data)


def _has_decision(entry) -> bool:
    try:
        return entry.decision is not None
    except Decision.DoesNotExist:
        return False


@login_required
def entry_score_sheet(request, pk, entry_pk):
    review_round, entry = _entry(request, pk, entry_pk)
    row = result_of(review_round, entry)
    assignments = (
        entry.assignments.filter(state=AssignmentState.SUBMITTED)
        .select_related("expert")
        .prefetch_related(
            Prefetch("scores", queryset=CriterionScore.objects.select_related("criterion"))
        )
    )
    pdf = render_pdf(
        "reviews/rounds/pdf/score_sheet.html",
        {
            "round": review_round,
            "entry": entry,
            "row": row,
            "criteria": review_round.criteria.all(),
            "assignments": assignments,
            "printed_at": timezone.localtime(),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="score-sheet-{entry.pk}.pdf"'
    return response


# --- Decisions (R3, R16, R25) --------------------------------------------------------------


@login_required
def decision(request, pk, entry_pk):
    review_round, entry = _entry(request, pk, entry_pk)
    current = (
        Decision.objects.filter(entry=entry)
        .select_related("union_signed_by", "bureau_signed_by", "recorded_by")
        .first()
    )
    initial = (
        {
            "outcome": current.outcome,
            "rectification_deadline": current.rectification_deadline,
            "reason": current.reason,
        }
        if current
        else {}
    )
    form = DecisionForm(request.POST or None, kind=review_round.kind, initial=initial)
    if request.method == "POST":
        _require_perm(request, "reviews.record_decision", review_round)
        if form.is_valid():
            try:
                services.record_decision(request.user, entry, form.cleaned_data)
            except ValidationError as exc:
                put_errors_on_form(form, exc)
            else:
                messages.success(request, _("Decision recorded; it awaits both sign-offs."))
                return redirect("reviews:decision", pk=pk, entry_pk=entry_pk)
    row = result_of(review_round, entry)
    return render(
        request,
        "reviews/rounds/decision.html",
        {
            "round": review_round,
            "entry": entry,
            "row": row,
            "decision": current,
            "form": form,
            "can_record": request.user.has_perm("reviews.record_decision", review_round)
            and review_round.status == RoundStatus.CLOSED
            and not (current and current.is_effective),
            "can_sign_union": rules.has_perm("reviews.sign_off_union", request.user),
            "can_sign_bureau": rules.has_perm("reviews.sign_off_bureau", request.user),
        },
    )


@login_required
@require_POST
def decision_sign(request, pk, entry_pk, body):
    review_round, entry = _entry(request, pk, entry_pk)
    if body not in services.SIGN_OFF_BODIES:
        raise Http404
    current = get_object_or_404(Decision, entry=entry)
    try:
        services.sign_off(request.user, current, body)
    except ValidationError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("Signed off."))
    return redirect("reviews:decision", pk=review_round.pk, entry_pk=entry.pk)


# --- Experts (staff) ----------------------------------------------------------------------


@login_required
def expert_list(request):
    _require_global(request, "reviews.manage_experts")
    experts = (
        User.objects.filter(role=Role.EXPERT)
        .select_related("expert_profile", "expert_profile__employer")
        .annotate(
            n_open=Count(
                "review_assignments",
                filter=Q(review_assignments__entry__round__status=RoundStatus.SCORING),
            )
        )
        .order_by("username")
    )
    return render(request, "reviews/rounds/expert_list.html", {"experts": experts})


@login_required
def expert_edit(request, user_pk):
    _require_global(request, "reviews.manage_experts")
    expert = get_object_or_404(User, pk=user_pk, role=Role.EXPERT)
    profile = ExpertProfile.objects.filter(user=expert).first() or ExpertProfile(user=expert)
    form = ExpertProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_expert_profile(
                request.user, expert, {k: form.cleaned_data[k] for k in form.Meta.fields}
            )
        except ValidationError as exc:
            put_errors_on_form(form, exc)
        else:
            messages.success(request, _("Expert saved."))
            return redirect("reviews:expert_list")
    return render(request, "reviews/rounds/expert_form.html", {"expert": expert, "form": form})


# --- Experts' own pages -------------------------------------------------------------------

MY_REVIEWS_PER_PAGE = 50


@login_required
def my_reviews(request):
    _require_global(request, "reviews.list_my_reviews")
    page = Paginator(assignment_list_of(request.user), MY_REVIEWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "reviews/rounds/my_reviews.html",
        {"assignments": page.object_list, "page_obj": page},
    )


def _own_assignment(request, entry_pk) -> Assignment:
    """The expert's assignment on this entry; any other entry (unassigned, or given up for a
    conflict) is not found."""
    assignment = get_object_or_404(
        assignments_of(request.user).select_related("entry__application"), entry_id=entry_pk
    )
    if not request.user.has_perm("reviews.score", assignment):
        raise Http404
    return assignment


def _score_input(criteria, form):
    """What the expert typed, read by the form's fields: a box the form refuses (not a finite
    number, too many digits, out of range) never reaches the arithmetic."""
    points = score_points(form, criteria)
    points = {c.pk: points.get(c.pk) for c in criteria}
    comments = {c.pk: form.data.get(f"comment_{c.pk}", "") for c in criteria}
    return points, comments


@login_required
def score_entry(request, entry_pk):
    assignment = _own_assignment(request, entry_pk)
    entry, review_round = assignment.entry, assignment.entry.round
    criteria = list(review_round.criteria.all())
    saved = {s.criterion_id: s for s in assignment.scores.all()}
    initial = {}
    for c in criteria:
        if c.pk in saved:
            initial[f"points_{c.pk}"] = saved[c.pk].points
            initial[f"comment_{c.pk}"] = saved[c.pk].comment
    form = score_fields(criteria, request.POST or None, initial)
    if request.method == "POST":
        points, comments = _score_input(criteria, form)
        submit = "submit" in request.POST
        if form.is_valid():  # otherwise its own errors are shown and nothing is saved
            try:
                services.save_score(request.user, assignment, points, comments, submit=submit)
            except ValidationError as exc:
                put_errors_on_form(form, exc)
            else:
                messages.success(request, _("Score submitted.") if submit else _("Draft saved."))
                return redirect("reviews:score_entry", entry_pk=entry_pk)
        typed = {k: v for k, v in points.items() if v is not None}
        total, scored = services.weighted_total(criteria, typed), len(typed)
    else:
        total, scored = assignment.total or 0, len(saved)
    others = []
    if review_round.scores_visible_to_experts:
        others = list(
            entry.assignments.filter(state=AssignmentState.SUBMITTED)
            .exclude(pk=assignment.pk)
            .select_related("expert")
        )
    rows = [(c, form[f"points_{c.pk}"], form[f"comment_{c.pk}"]) for c in criteria]
    return render(
        request,
        "reviews/rounds/score_entry.html",
        {
            "assignment": assignment,
            "entry": entry,
            "round": review_round,
            "snap": entry.snapshot,
            "rows": rows,
            "form": form,
            "total": total,
            "scored": scored,
            "max_total": sum(c.max_points * c.weight for c in criteria),
            "locked": assignment.is_submitted or review_round.status != RoundStatus.SCORING,
            "others": others,
            "materials": _materials_of(entry),
            "conflict_form": ReasonForm(),
            "language": get_language() or "zh-hans",
        },
    )


@login_required
@require_POST
def score_total(request, entry_pk):
    """htmx: the live weighted total of what the expert has typed, nothing saved."""
    assignment = _own_assignment(request, entry_pk)
    criteria = list(assignment.entry.round.criteria.all())
    valid = score_points(score_fields(criteria, request.POST), criteria)
    typed = sum(1 for c in criteria if (request.POST.get(f"points_{c.pk}") or "").strip())
    out_of_range = typed - len(valid)
    return render(
        request,
        "reviews/rounds/_live_total.html",
        {
            "total": services.weighted_total(criteria, valid),
            "max_total": sum(c.max_points * c.weight for c in criteria),
            "scored": len(valid),
            "n_criteria": len(criteria),
            "out_of_range": out_of_range,
        },
    )


@login_required
@require_POST
def declare_conflict(request, entry_pk):
    assignment = _own_assignment(request, entry_pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise refuse("R17", _("Say briefly what the conflict is."), field="reason")
        services.declare_conflict(request.user, assignment, form.cleaned_data["reason"])
    except ValidationError as exc:
        show_refusal(request, exc)
        return redirect("reviews:score_entry", entry_pk=entry_pk)
    messages.success(request, _("Conflict declared; the studio is no longer assigned to you."))
    return redirect("reviews:my_reviews")


@login_required
def expert_material(request, entry_pk, material_pk):
    assignment = _own_assignment(request, entry_pk)
    material = get_object_or_404(
        ApplicationMaterial, pk=material_pk, application_id=assignment.entry.application_id
    )
    return serve_private_file(material.file, material.original_name)
