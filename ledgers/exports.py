"""Excel exports of the ledgers (R22): per studio, per enterprise (the unit union totals its
studios) and for the district. One workbook: a totals sheet, then one sheet per kind of entry,
each row naming its enterprise and studio. A constant number of queries whatever the size."""

from django.db.models import Count
from django.utils.translation import gettext as _

from core.exports import build_workbook
from studios.models import Member

from .kinds import LEDGERS, display
from .models import R14D_ACTIVITY_KINDS


def totals_headers() -> list[str]:
    return [
        _("Enterprise"),
        _("Studio"),
        _("Type"),
        _("Activities"),
        _("of which count for R14d"),
        _("Activity hours"),
        _("Innovation projects"),
        _("Applied in the unit"),
        _("Patents"),
        _("Granted patents"),
        _("Other achievements"),
        _("Member development entries"),
        _("Members who joined"),
        _("Members who left"),
    ]


def with_ledger_totals(studios_qs):
    """Each studio with its ledger totals, by subquery counts (no join fan-out)."""
    from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
    from django.db.models.functions import Coalesce

    from .models import Achievement, Activity, InnovationProject, MemberDevelopment, Patent

    def count_of(model, **filters):
        sub = (
            model.objects.filter(studio_id=OuterRef("pk"), **filters)
            .order_by()
            .values("studio_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(sub), Value(0))

    hours = (
        Activity.objects.filter(studio_id=OuterRef("pk"))
        .order_by()
        .values("studio_id")
        .annotate(h=Sum("hours"))
        .values("h")
    )
    return studios_qs.annotate(
        n_activities=count_of(Activity),
        n_r14d=count_of(Activity, kind__in=R14D_ACTIVITY_KINDS),
        n_hours=Coalesce(
            Subquery(hours, output_field=DecimalField(max_digits=12, decimal_places=1)),
            Value(0, output_field=DecimalField(max_digits=12, decimal_places=1)),
        ),
        n_projects=count_of(InnovationProject),
        n_applied=count_of(InnovationProject, applied_on__isnull=False),
        n_patents=count_of(Patent),
        n_granted=count_of(Patent, granted_on__isnull=False),
        n_achievements=count_of(Achievement),
        n_development=count_of(MemberDevelopment),
        n_joined=count_of(Member),
        n_left=count_of(Member, left_on__isnull=False),
    )


def ledger_workbook(studios_qs) -> bytes:
    studios = list(with_ledger_totals(studios_qs.order_by("enterprise__name", "name")))
    totals = [
        [
            s.enterprise.name,
            s.name,
            s.get_type_display(),
            s.n_activities,
            s.n_r14d,
            s.n_hours,
            s.n_projects,
            s.n_applied,
            s.n_patents,
            s.n_granted,
            s.n_achievements,
            s.n_development,
            s.n_joined,
            s.n_left,
        ]
        for s in studios
    ]
    if len(studios) > 1:
        totals.append(
            [_("Total"), f"{len(studios)}", ""]
            + [sum(row[i] for row in totals) for i in range(3, len(totals_headers()))]
        )
    sheets = [(_("Totals"), totals_headers(), totals)]
    ids = studios_qs.order_by().values("pk")
    for ledger in LEDGERS.values():
        headers = [_("Enterprise"), _("Studio"), *[c.label for c in ledger.columns]]
        sheets.append((ledger.label, headers, _entry_rows(ledger, ids)))
    sheets.append(_membership_sheet(ids))
    return build_workbook(sheets)


def _entry_rows(ledger, ids):
    entries = ledger.queryset().filter(studio_id__in=ids)
    for e in entries.iterator(chunk_size=2000):  # prefetches per chunk (Django ≥ 4.1)
        yield [e.studio.enterprise.name, e.studio.name, *[display(e, c) for c in ledger.columns]]


def _membership_sheet(ids):
    """Joins and departures come from the members' own dates (see ``MemberDevelopment``)."""
    members = (
        Member.objects.filter(studio_id__in=ids)
        .select_related("studio", "studio__enterprise")
        .order_by("studio__name", "joined_on")
    )
    headers = [
        _("Enterprise"),
        _("Studio"),
        _("Member"),
        _("Position"),
        _("Skill level or title"),
        _("Joined on"),
        _("Left on"),
    ]
    rows = (
        [
            m.studio.enterprise.name,
            m.studio.name,
            m.name,
            m.position,
            m.skill_level,
            m.joined_on,
            m.left_on,
        ]
        for m in members.iterator(chunk_size=2000)
    )
    return (_("Joins and departures"), headers, rows)
