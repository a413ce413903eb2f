from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exports import XLSX_MIME, xlsx_response
from core.files import serve_private_file
from core.forms import put_errors_on_form
from core.listing import per_page_of, style_filter_form
from studios.filters import StudioFilter
from studios.models import Studio, StudioType
from studios.queries import enterprises_visible_to, studios_visible_to

from . import importer, services
from .compliance import FAIL, NOT_ASSESSED, OK, OPEN, compliance_rows, current_year
from .dashboard import dashboard_data
from .exports import ledger_workbook
from .grid import StudioKey, verdicts_for
from .kinds import LEDGERS, ledger_or_404
from .models import ActivityEvidence

GRID_YEARS = 5
GRID_PAGE_SIZES = (50, 100, 200, 500, 2000)
GRID_DEFAULT_PER_PAGE = 50


def _visible_studio(request, pk, perm="ledgers.view_ledgers"):
    """Through the user's own scope: another enterprise's studio is not found (R20)."""
    studio = get_object_or_404(studios_visible_to(request.user), pk=pk)
    if not request.user.has_perm(perm, studio):
        raise PermissionDenied
    return studio


def _years_ending(last: int) -> list[int]:
    return list(range(last - GRID_YEARS + 1, last + 1))


def _xlsx(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


# --- A studio's ledgers and checklist -----------------------------------------------------


def _selected_year(request, default: int):
    value = request.GET.get("year", "")
    if value == "all":
        return None
    try:
        year = int(value)
    except ValueError:
        return default
    return year if 1990 <= year <= default + 1 else default


@login_required
def studio_ledgers(request, pk):
    studio = _visible_studio(request, pk)
    this_year = current_year()
    year = _selected_year(request, this_year)
    years = _years_ending(this_year)
    if year is not None and year not in years:
        years = sorted({*years, year})
    ((_studio, by_year),) = compliance_rows(Studio.objects.filter(pk=studio.pk), years)
    selected = next((sy for sy in by_year if sy.year == (year or this_year)), None)
    sections = []
    for ledger in LEDGERS.values():
        entries = ledger.queryset().filter(studio=studio)
        if year is not None:
            entries = entries.filter(**{f"{ledger.date_field}__year": year})
        sections.append({"ledger": ledger, "entries": list(entries)})
    members = studio.members.all()
    if year is not None:
        from django.db.models import Q

        members = members.filter(Q(joined_on__year=year) | Q(left_on__year=year))
    return render(
        request,
        "ledgers/studio_ledgers.html",
        {
            "studio": studio,
            "year": year,
            "this_year": this_year,
            "year_choices": list(range(this_year, this_year - 10, -1)),
            "history": by_year,
            "selected": selected,
            "findings": selected.findings() if selected else [],
            "sections": sections,
            "membership": list(members),
            "can_change": request.user.has_perm("ledgers.change_ledgers", studio),
            "can_see_evidence": request.user.has_perm("ledgers.view_evidence", studio),
            "can_export_enterprise": request.user.has_perm(
                "ledgers.export_enterprise_ledgers", studio.enterprise
            ),
        },
    )


def _entry_form_page(request, studio, ledger, entry=None):
    form = ledger.form(request.POST or None, request.FILES or None, instance=entry, studio=studio)
    if request.method == "POST" and form.is_valid():
        evidence = form.cleaned_data.get("evidence")
        try:
            if entry is None:
                services.add_entry(request.user, studio, ledger, form.cleaned_data, evidence)
            else:
                changes = {name: form.cleaned_data[name] for name in form.changed_data}
                services.update_entry(request.user, entry, ledger, changes, evidence)
        except ValidationError as exc:
            put_errors_on_form(form, exc)
        else:
            messages.success(request, _("Ledger entry saved."))
            if "add_another" in request.POST:
                return redirect("ledgers:entry_add", pk=studio.pk, ledger=ledger.slug)
            return redirect(f"{reverse('ledgers:studio_ledgers', args=[studio.pk])}#{ledger.slug}")
    return render(
        request,
        "ledgers/entry_form.html",
        {
            "form": form,
            "studio": studio,
            "ledger": ledger,
            "entry": entry,
            "cancel_url": reverse("ledgers:studio_ledgers", args=[studio.pk]),
        },
    )


@login_required
def entry_add(request, pk, ledger):
    ledger = ledger_or_404(ledger)
    studio = _visible_studio(request, pk, "ledgers.change_ledgers")
    return _entry_form_page(request, studio, ledger)


@login_required
def entry_edit(request, pk, ledger, entry_pk):
    ledger = ledger_or_404(ledger)
    studio = _visible_studio(request, pk, "ledgers.change_ledgers")
    entry = get_object_or_404(ledger.model, pk=entry_pk, studio=studio)
    return _entry_form_page(request, studio, ledger, entry)


@login_required
@require_POST
def entry_delete(request, pk, ledger, entry_pk):
    ledger = ledger_or_404(ledger)
    studio = _visible_studio(request, pk, "ledgers.change_ledgers")
    entry = get_object_or_404(ledger.model, pk=entry_pk, studio=studio)
    services.delete_entry(request.user, entry, ledger)
    messages.success(request, _("Ledger entry removed."))
    return redirect(f"{reverse('ledgers:studio_ledgers', args=[studio.pk])}#{ledger.slug}")


@login_required
def evidence(request, pk, evidence_pk):
    studio = _visible_studio(request, pk, "ledgers.view_evidence")
    item = get_object_or_404(ActivityEvidence, pk=evidence_pk, activity__studio=studio)
    return serve_private_file(item.file, item.original_name or None, inline=True)


# --- Excel in and out ---------------------------------------------------------------------


@login_required
def entry_import(request, pk, ledger):
    ledger = ledger_or_404(ledger)
    studio = _visible_studio(request, pk, "ledgers.change_ledgers")
    errors = []
    if request.method == "POST":
        upload = request.FILES.get("sheet")
        if upload is None:
            errors = [importer.RowError(0, "", "", _("Choose the filled-in template to upload."))]
        else:
            try:
                entries = importer.import_sheet(request.user, studio, ledger, upload)
            except importer.ImportRefused as refused:
                errors = refused.errors
            else:
                messages.success(
                    request,
                    _("%(n)s entries imported into %(ledger)s.")
                    % {"n": len(entries), "ledger": ledger.label},
                )
                return redirect(
                    f"{reverse('ledgers:studio_ledgers', args=[studio.pk])}?year=all#{ledger.slug}"
                )
    return render(
        request,
        "ledgers/import.html",
        {"studio": studio, "ledger": ledger, "errors": errors},
        status=400 if errors else 200,
    )


@login_required
def import_template(request, ledger):
    ledger = ledger_or_404(ledger)
    if not request.user.has_perm("ledgers.download_template"):
        raise PermissionDenied
    return _xlsx(f"template-{ledger.slug}", importer.template_workbook(ledger))


@login_required
def studio_export(request, pk):
    studio = _visible_studio(request, pk)
    return _xlsx(
        f"ledgers-studio-{studio.pk}", ledger_workbook(Studio.objects.filter(pk=studio.pk))
    )


@login_required
def enterprise_export(request, pk):
    enterprise = get_object_or_404(enterprises_visible_to(request.user), pk=pk)
    if not request.user.has_perm("ledgers.export_enterprise_ledgers", enterprise):
        raise PermissionDenied
    studios = Studio.objects.filter(enterprise=enterprise).select_related("enterprise")
    return _xlsx(f"ledgers-enterprise-{enterprise.pk}", ledger_workbook(studios))


@login_required
def district_export(request):
    if not request.user.has_perm("ledgers.export_district_ledgers"):
        raise PermissionDenied
    return _xlsx("ledgers-district", ledger_workbook(Studio.objects.select_related("enterprise")))


# --- District compliance grid -------------------------------------------------------------


def _keep(statuses: list[str], result: str) -> bool:
    """The grid's "result" filter: studios failing in some year, or meeting every year."""
    assessed = [s for s in statuses if s != NOT_ASSESSED]
    if result == "failing":
        return any(s in (FAIL, OPEN) for s in assessed)
    if result == "ok":
        return bool(assessed) and all(s == OK for s in assessed)
    return True


@login_required
def compliance_grid(request):
    if not request.user.has_perm("ledgers.view_compliance_grid"):
        raise PermissionDenied
    today = timezone.localdate()
    this_year = today.year
    last = _selected_year(request, this_year) or this_year
    years = _years_ending(min(last, this_year))
    filterset = StudioFilter(request.GET or None, queryset=Studio.objects.all(), request=request)
    style_filter_form(filterset.form)
    ordered = filterset.qs.order_by("enterprise__name", "name", "pk")
    keys = [StudioKey(*values) for values in ordered.values_list(*StudioKey.FIELDS)]
    verdicts = verdicts_for(keys, years, today)
    result = request.GET.get("result", "")
    statuses = {k.pk: verdicts[k.pk].statuses for k in keys}
    kept = [k.pk for k in keys if _keep(statuses[k.pk], result)]
    summary = _grid_summary([statuses[pk] for pk in kept], years)
    if request.GET.get("export") == "xlsx":
        return _grid_export(_grid_rows(kept, verdicts), years)
    per_page = per_page_of(request, GRID_PAGE_SIZES, GRID_DEFAULT_PER_PAGE)
    page = Paginator(kept, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "ledgers/compliance_grid.html",
        {
            "filter": filterset,
            "years": years,
            "year_choices": list(range(this_year, this_year - 10, -1)),
            "last_year": years[-1],
            "result": result,
            "page_obj": page,
            "rows": _grid_rows(page.object_list, verdicts),
            "row_count": len(kept),
            "summary": summary,
            "per_page": per_page,
            "page_sizes": GRID_PAGE_SIZES,
            "page_query": params.urlencode(),
            "can_export_district": request.user.has_perm("ledgers.export_district_ledgers"),
        },
    )


def _grid_rows(studio_ids, verdicts):
    """``[(studio, [(cell, ledger url for its year)])]`` in the order of ``studio_ids``: one
    query for the studios shown."""
    studios = (
        Studio.objects.select_related("enterprise")
        .only("pk", "name", "type", "status", "enterprise__name")
        .in_bulk(list(studio_ids))
    )
    rows = []
    for pk in studio_ids:
        url = reverse("ledgers:studio_ledgers", args=[pk])
        cells = verdicts[pk].cells()
        rows.append((studios[pk], [(cell, f"{url}?year={cell.year}") for cell in cells]))
    return rows


def _grid_summary(status_rows, years):
    """Per year: how many of the listed studios were assessed and how many met every duty."""
    summary = []
    for index, year in enumerate(years):
        statuses = [row[index] for row in status_rows]
        assessed = [s for s in statuses if s != NOT_ASSESSED]
        ok = sum(1 for s in assessed if s == OK)
        summary.append(
            {
                "year": year,
                "assessed": len(assessed),
                "ok": ok,
                "rate": round(100 * ok / len(assessed)) if assessed else None,
            }
        )
    return summary


def _grid_export(rows, years):
    headers = [_("Enterprise"), _("Studio"), _("Type"), _("Status")] + [str(y) for y in years]

    def cell(sy):
        if sy.status == NOT_ASSESSED:
            return "—"
        return _("met") if sy.status == OK else ", ".join(sy.failing_rules)

    data = (
        [s.enterprise.name, s.name, s.get_type_display(), s.get_status_display()]
        + [cell(sy) for sy, _url in cells]
        for s, cells in rows
    )
    return xlsx_response("compliance", headers, data)


# --- Dashboard ----------------------------------------------------------------------------


@login_required
def dashboard(request):
    if not request.user.has_perm("ledgers.view_dashboard"):
        raise PermissionDenied
    return render(
        request,
        "ledgers/dashboard.html",
        {**dashboard_data(), "studio_types": StudioType.choices},
    )
