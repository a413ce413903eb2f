"""Every write to the ledgers. The enterprise union keeps them (R22): each function checks the
actor may keep this studio's ledgers, writes in one transaction and records the change in the
audit log under the studio, so the studio's timeline shows its ledger too."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import changed_fields, record_event, snapshot
from core.db import refuse_duplicate
from core.files import EVIDENCE_KINDS, validate_upload_under
from core.refusals import refuse
from studios.models import Studio

from .kinds import Ledger
from .models import ActivityEvidence

#: The only unique entry in a ledger is a patent's number: a concurrent save may take it first.
_DUPLICATE_ENTRY = gettext_lazy("This studio has already recorded an entry with this number.")


def _require_keeper(actor, studio: Studio) -> None:
    if not actor.has_perm("ledgers.change_ledgers", studio):
        raise PermissionDenied(_("Only the studio's enterprise union keeps its ledgers (R22)."))


def _split(ledger: Ledger, data: dict) -> tuple[dict, dict]:
    """Plain fields and many-to-many fields, which can only be set once the row exists."""
    m2m_names = {f.name for f in ledger.model._meta.many_to_many}
    plain = {k: v for k, v in data.items() if k not in m2m_names and k != "evidence"}
    m2m = {k: v for k, v in data.items() if k in m2m_names}
    return plain, m2m


def _check_members_belong(studio: Studio, data: dict) -> None:
    """Members named in an entry must be the studio's own (R14b counts only its members)."""
    for name, value in data.items():
        members = value if isinstance(value, list | tuple) or hasattr(value, "all") else [value]
        for member in members:
            is_member = getattr(member, "_meta", None) and member._meta.label == "studios.Member"
            if is_member and member.studio_id != studio.pk:
                raise refuse("R22", _("Name members of this studio only."), field=name)


def _save_new(actor, studio: Studio, ledger: Ledger, data: dict):
    _check_members_belong(studio, data)
    plain, m2m = _split(ledger, data)
    entry = ledger.model(studio=studio, **plain)
    entry.full_clean()
    with refuse_duplicate(_DUPLICATE_ENTRY, field="number"):
        entry.save()
    for name, values in m2m.items():
        getattr(entry, name).set(values)
    record_event(
        actor,
        f"ledger.{ledger.slug}.added",
        entry,
        after=snapshot(entry),
        studio=studio,
        rule=ledger.rule,
    )
    return entry


def _attach_evidence(actor, activity, upload) -> ActivityEvidence:
    validate_upload_under("R22", upload, EVIDENCE_KINDS)  # evidence in the R22 ledger
    evidence = ActivityEvidence(activity=activity, original_name=upload.name[:200])
    evidence.file.save(upload.name, upload, save=False)
    evidence.save()
    record_event(
        actor,
        "ledger.activities.evidence_added",
        evidence,
        after={"file": evidence.original_name},
        studio=activity.studio,
        rule="R18",
    )
    return evidence


@transaction.atomic
def add_entry(actor, studio: Studio, ledger: Ledger, data: dict, evidence=None):
    """Add one entry (the form's cleaned data) to one of the studio's ledgers."""
    studio = Studio.objects.select_for_update().get(pk=studio.pk)
    _require_keeper(actor, studio)
    entry = _save_new(actor, studio, ledger, data)
    if evidence:
        _attach_evidence(actor, entry, evidence)
    return entry


@transaction.atomic
def update_entry(actor, entry, ledger: Ledger, data: dict, evidence=None):
    entry = ledger.model.objects.select_for_update().select_related("studio").get(pk=entry.pk)
    studio = entry.studio
    _require_keeper(actor, studio)
    _check_members_belong(studio, data)
    before = snapshot(entry)
    plain, m2m = _split(ledger, data)
    for name, value in plain.items():
        setattr(entry, name, value)
    entry.full_clean()
    with refuse_duplicate(_DUPLICATE_ENTRY, field="number"):
        entry.save()
    for name, values in m2m.items():
        getattr(entry, name).set(values)
    old, new = changed_fields(before, snapshot(entry))
    if new:
        record_event(
            actor,
            f"ledger.{ledger.slug}.updated",
            entry,
            before=old,
            after=new,
            studio=studio,
            rule=ledger.rule,
        )
    if evidence:
        _attach_evidence(actor, entry, evidence)
    return entry


@transaction.atomic
def delete_entry(actor, entry, ledger: Ledger) -> None:
    """A mistaken entry may be removed; the audit log keeps what it said."""
    entry = ledger.model.objects.select_for_update().select_related("studio").get(pk=entry.pk)
    studio = entry.studio
    _require_keeper(actor, studio)
    record_event(
        actor,
        f"ledger.{ledger.slug}.deleted",
        entry,
        before=snapshot(entry),
        studio=studio,
        rule=ledger.rule,
    )
    entry.delete()


@transaction.atomic
def import_entries(actor, studio: Studio, ledger: Ledger, rows: list[dict]) -> list:
    """Save every row of a checked sheet, or none: the caller has validated all rows first, and
    any failure here rolls the whole file back."""
    studio = Studio.objects.select_for_update().get(pk=studio.pk)
    _require_keeper(actor, studio)
    entries = [_save_new(actor, studio, ledger, data) for data in rows]
    record_event(
        actor,
        f"ledger.{ledger.slug}.imported",
        studio,
        after={"rows": len(entries)},
        studio=studio,
        rule="R22",
    )
    return entries
