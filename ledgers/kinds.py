"""The five kinds of ledger entry, described once: model, form, columns. The pages, the Excel
template, the import and the export all read these descriptions, so a column added here appears
everywhere at once."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from . import forms
from .models import Achievement, Activity, InnovationProject, MemberDevelopment, Patent

TEXT, DATE, CHOICE, MEMBERS, MEMBER, BOOL, INT, DECIMAL = (
    "text",
    "date",
    "choice",
    "members",
    "member",
    "bool",
    "int",
    "decimal",
)


@dataclass(frozen=True)
class Column:
    field: str
    label: str
    kind: str = TEXT
    required: bool = False
    example: str = ""


@dataclass(frozen=True)
class Ledger:
    slug: str
    label: str
    group: str  # which of the three ledgers of R22 it belongs to
    model: type
    form: type
    columns: tuple[Column, ...]
    date_field: str  # the date that places an entry in a year
    rule: str  # the rule the entry serves, for the audit log
    select: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()

    def queryset(self):
        return (
            self.model.objects.select_related("studio", "studio__enterprise", *self.select)
            .prefetch_related(*self.prefetch)
            .order_by(f"-{self.date_field}", "-pk")
        )

    def choices_of(self, column: Column) -> list[tuple[str, str]]:
        return list(self.model._meta.get_field(column.field).choices)


ACTIVITY_LEDGER = _("Innovation activity ledger")
ACHIEVEMENT_LEDGER = _("Innovation achievement ledger")
DEVELOPMENT_LEDGER = _("Member development ledger")

LEDGERS = {
    ledger.slug: ledger
    for ledger in (
        Ledger(
            "activities",
            _("Activities"),
            ACTIVITY_LEDGER,
            Activity,
            forms.ActivityForm,
            (
                Column("held_on", _("Date"), DATE, True, "2026-03-15"),
                Column("kind", _("Kind"), CHOICE, True, "技能培训"),
                Column(
                    "title", pgettext_lazy("ledger entry", "Title"), TEXT, True, "数控编程技能培训"
                ),
                Column("description", _("Description"), TEXT),
                Column(
                    "participants", _("Studio members taking part"), MEMBERS, False, "张伟、李娜"
                ),
                Column("other_participants", _("Other participants"), INT, False, "12"),
                Column("hours", _("Hours"), DECIMAL, False, "4"),
            ),
            "held_on",
            "R14d",
            prefetch=("participants", "evidence"),
        ),
        Ledger(
            "projects",
            _("Innovation projects"),
            ACHIEVEMENT_LEDGER,
            InnovationProject,
            forms.ProjectForm,
            (
                Column(
                    "title",
                    pgettext_lazy("ledger entry", "Title"),
                    TEXT,
                    True,
                    "焊接工装快速定位改造",
                ),
                Column("description", _("Description"), TEXT),
                Column("started_on", _("Started on"), DATE, True, "2026-01-10"),
                Column("status", _("Status"), CHOICE, True, "已在本单位应用"),
                Column("applied_on", _("Applied in the unit on"), DATE, False, "2026-06-30"),
                Column("benefit_cny", _("Benefit, CNY"), DECIMAL, False, "150000"),
                Column("benefit_text", _("Benefit in words"), TEXT, False, "节约工时20%"),
                Column("municipal_award", _("Municipal awards (R31)"), BOOL, False, "否"),
            ),
            "started_on",
            "R14a",
        ),
        Ledger(
            "patents",
            _("Patents"),
            ACHIEVEMENT_LEDGER,
            Patent,
            forms.PatentForm,
            (
                Column("number", _("Patent number"), TEXT, True, "ZL202620123456.7"),
                Column(
                    "title", pgettext_lazy("ledger entry", "Title"), TEXT, True, "一种焊接定位夹具"
                ),
                Column("kind", _("Kind"), CHOICE, True, "实用新型专利"),
                Column("filed_on", _("Filed on"), DATE, True, "2025-09-01"),
                Column(
                    "granted_on", pgettext_lazy("patent", "Granted on"), DATE, False, "2026-04-20"
                ),
                Column("holders", _("Holders who are studio members"), MEMBERS, False, "张伟"),
                Column("other_holders", _("Other holders"), TEXT, False, "某某公司"),
                Column("municipal_award", _("Municipal awards (R31)"), BOOL, False, "否"),
            ),
            "filed_on",
            "R14b",
            prefetch=("holders",),
        ),
        Ledger(
            "achievements",
            _("Other achievements"),
            ACHIEVEMENT_LEDGER,
            Achievement,
            forms.AchievementForm,
            (
                Column("kind", _("Kind"), CHOICE, True, "奖项"),
                Column(
                    "title",
                    pgettext_lazy("ledger entry", "Title"),
                    TEXT,
                    True,
                    "市职工技术创新成果奖",
                ),
                Column("achieved_on", _("Achieved on"), DATE, True, "2026-05-01"),
                Column("applied_on", _("Applied in practice on"), DATE, False, "2026-06-01"),
                Column("description", _("Description"), TEXT),
                Column("municipal_award", _("Municipal awards (R31)"), BOOL, False, "是"),
            ),
            "achieved_on",
            "R14c",
        ),
        Ledger(
            "development",
            _("Member development"),
            DEVELOPMENT_LEDGER,
            MemberDevelopment,
            forms.DevelopmentForm,
            (
                Column("member", _("Member"), MEMBER, True, "李娜"),
                Column("kind", _("Kind"), CHOICE, True, "技能等级晋升"),
                Column("happened_on", _("Date"), DATE, True, "2026-02-01"),
                Column("description", _("Details"), TEXT, False, "晋升为高级技师"),
                Column("mentor", _("Master (apprenticeship)"), MEMBER),
                Column("hours", _("Training hours"), DECIMAL),
            ),
            "happened_on",
            "R22",
            select=("member", "mentor"),
        ),
    )
}


def ledger_or_404(slug: str) -> Ledger:
    try:
        return LEDGERS[slug]
    except KeyError as exc:
        raise Http404 from exc


def display(entry, column: Column):
    """A cell's value as people read it (pages and Excel export)."""
    value = getattr(entry, column.field)
    if column.kind == CHOICE:
        return getattr(entry, f"get_{column.field}_display")()
    if column.kind == MEMBERS:
        return "、".join(m.name for m in value.all())
    if column.kind == MEMBER:
        return value.name if value else ""
    if column.kind == BOOL:
        return gettext("yes") if value else gettext("no")
    if value is None:
        return ""
    if isinstance(value, date | Decimal | int):
        return value
    return str(value)
