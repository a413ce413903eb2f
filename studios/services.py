"""Every write to enterprises, studios, leaders and members. Each function checks that the
actor may act, changes the rows in one transaction, and records what changed in the audit log.
Views call these with validated form data; nothing else saves these models."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import changed_fields, record_event, snapshot
from core.db import refuse_duplicate
from core.permissions import require_perm
from core.refusals import refuse

from .models import Enterprise, Leader, LeaderHonour, Member, Studio, StudioStatus


def _refuse_r23(field: str = "name"):
    return refuse(
        "R23",
        gettext_lazy(
            "the name and leader of a recognised studio change only through a rename request."
        ),
        field=field,
    )


def _apply(instance, changes: dict) -> None:
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.full_clean()
    new_files = [
        f.name
        for f in instance._meta.concrete_fields
        if isinstance(f, models.FileField)
        and getattr(instance, f.name)
        and not getattr(instance, f.name)._committed
    ]
    message, field = _DUPLICATE.get(type(instance), (gettext_lazy("This already exists."), None))
    with refuse_duplicate(
        message, field=field, files=lambda: [getattr(instance, name) for name in new_files]
    ):
        instance.save()
    instance.refresh_from_db()  # so the audit snapshot shows values as stored


#: The loser of two concurrent creations passes ``full_clean`` too; the database's unique
#: constraint refuses its insert. The message it gets then, and on which field.
_DUPLICATE = {
    Studio: (gettext_lazy("Your enterprise already has a studio of this name."), "name"),
    Enterprise: (
        gettext_lazy("An enterprise with this unified social credit code is already registered."),
        "credit_code",
    ),
}


# --- Enterprises --------------------------------------------------------------------------


@transaction.atomic
def create_enterprise(actor, data: dict) -> Enterprise:
    require_perm(actor, "studios.add_enterprise")
    enterprise = Enterprise()
    _apply(enterprise, data)
    record_event(actor, "enterprise.created", enterprise, after=snapshot(enterprise))
    return enterprise


@transaction.atomic
def update_enterprise(actor, enterprise: Enterprise, data: dict) -> Enterprise:
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    require_perm(actor, "studios.change_enterprise", enterprise)
    before = snapshot(enterprise)
    _apply(enterprise, data)
    old, new = changed_fields(before, snapshot(enterprise))
    if new:
        record_event(actor, "enterprise.updated", enterprise, before=old, after=new)
    return enterprise


# --- Studios ------------------------------------------------------------------------------


@transaction.atomic
def create_studio(actor, data: dict) -> Studio:
    """A union registers one of its studios. It starts as an applicant: recognition only ever
    comes from a review decision (R16)."""
    require_perm(actor, "studios.add_studio")
    studio = Studio(enterprise_id=actor.enterprise_id, status=StudioStatus.APPLICANT)
    _apply(studio, data)
    record_event(actor, "studio.created", studio, after=snapshot(studio), studio=studio)
    return studio


@transaction.atomic
def update_studio(actor, studio: Studio, data: dict) -> Studio:
    studio = Studio.objects.select_for_update().get(pk=studio.pk)
    require_perm(actor, "studios.change_studio", studio)
    protected = {"status", "enterprise", "enterprise_id"} & set(data)
    if protected:
        raise ValidationError(
            _("A studio's status and enterprise change only through their own procedures.")
        )
    if studio.holds_title and "name" in data and data["name"] != studio.name:
        raise _refuse_r23()
    before = snapshot(studio)
    _apply(studio, data)
    old, new = changed_fields(before, snapshot(studio))
    if new:
        record_event(actor, "studio.updated", studio, before=old, after=new, studio=studio)
    return studio


# --- Leader and honours (R7, R19) --------------------------------------------------------


@transaction.atomic
def appoint_leader(actor, studio: Studio, data: dict) -> Leader:
    """Record the studio's leader. Any leader in office is ended the day before the new one
    starts, so a studio never has two leaders and the old one stays on record."""
    studio = Studio.objects.select_for_update().get(pk=studio.pk)
    require_perm(actor, "studios.change_studio", studio)
    since = data.get("since") or timezone.localdate()
    current = studio.leaders.filter(until__isnull=True).first()
    if current is not None and studio.holds_title:
        raise _refuse_r23()
    if current is not None:
        if current.since >= since:
            raise refuse(
                "R7",
                _("The new leader must start after the current leader (since %(since)s).")
                % {"since": current.since},
                field="since",
            )
        current.until = since
        current.save(update_fields=["until"])
    leader = Leader(studio=studio, **{**data, "since": since})
    leader.full_clean()
    leader.save()
    record_event(
        actor,
        "studio.leader_appointed",
        leader,
        before={"leader": current.name} if current else None,
        after=snapshot(leader),
        studio=studio,
        rule="R7",
    )
    return leader


@transaction.atomic
def update_leader(actor, leader: Leader, data: dict) -> Leader:
    leader = Leader.objects.select_for_update().select_related("studio").get(pk=leader.pk)
    require_perm(actor, "studios.change_studio", leader.studio)
    if leader.studio.holds_title and "name" in data and data["name"] != leader.name:
        raise _refuse_r23()
    before = snapshot(leader)
    _apply(leader, data)
    old, new = changed_fields(before, snapshot(leader))
    if new:
        record_event(
            actor,
            "studio.leader_updated",
            leader,
            before=old,
            after=new,
            studio=leader.studio,
            rule="R7",
        )
    return leader


@transaction.atomic
def add_honour(actor, leader: Leader, data: dict) -> LeaderHonour:
    require_perm(actor, "studios.change_studio", leader.studio)
    honour = LeaderHonour(leader=leader, **data)
    honour.full_clean()
    honour.save()
    record_event(
        actor,
        "studio.honour_added",
        honour,
        after=snapshot(honour),
        studio=leader.studio,
        rule="R19",
    )
    return honour


@transaction.atomic
def remove_honour(actor, honour: LeaderHonour) -> None:
    studio = honour.leader.studio
    require_perm(actor, "studios.change_studio", studio)
    before = snapshot(honour)
    record_event(actor, "studio.honour_removed", honour, before=before, studio=studio, rule="R19")
    honour.delete()


# --- Members (R8) -------------------------------------------------------------------------


@transaction.atomic
def add_member(actor, studio: Studio, data: dict) -> Member:
    require_perm(actor, "studios.change_studio", studio)
    member = Member(studio=studio, **data)
    member.full_clean()
    member.save()
    record_event(
        actor, "studio.member_added", member, after=snapshot(member), studio=studio, rule="R8"
    )
    return member


@transaction.atomic
def update_member(actor, member: Member, data: dict) -> Member:
    member = Member.objects.select_for_update().select_related("studio").get(pk=member.pk)
    require_perm(actor, "studios.change_studio", member.studio)
    before = snapshot(member)
    _apply(member, data)
    old, new = changed_fields(before, snapshot(member))
    if new:
        record_event(
            actor,
            "studio.member_updated",
            member,
            before=old,
            after=new,
            studio=member.studio,
            rule="R8",
        )
    return member


@transaction.atomic
def record_member_left(actor, member: Member, left_on: date) -> Member:
    """Members are never deleted: a departure is a date, so past team sizes stay true."""
    return update_member(actor, member, {"left_on": left_on})


# --- Rename requests (R23) ----------------------------------------------------------------

#: (status, decision) -> status for a rename request; anything else is refused.
RENAME_TRANSITIONS = {
    ("pending", "approve"): "approved",
    ("pending", "refuse"): "refused",
}


@transaction.atomic
def file_rename_request(actor, studio: Studio, data: dict):
    """R23: the union asks to rename a recognised studio whose leader left, naming the new
    leader and the reason. One request at a time per studio."""
    from .lifecycle import HOLDS_TITLE
    from .lifecycle_models import RenameRequest, RenameStatus

    studio = Studio.objects.select_for_update().get(pk=studio.pk)
    require_perm(actor, "studios.request_rename", studio)
    if studio.status not in HOLDS_TITLE:
        raise refuse("R23", _("only a recognised studio files a rename request."))
    if studio.rename_requests.filter(status=RenameStatus.PENDING).exists():
        raise refuse("R23", _("a rename request is already awaiting decision."))
    leader = studio.leaders.filter(until__isnull=True).first()
    request = RenameRequest(
        studio=studio,
        old_name=studio.name,
        old_leader_name=leader.name if leader else "",
        filed_by=actor,
        **data,
    )
    request.full_clean()
    request.save()
    record_event(
        actor,
        "rename.requested",
        request,
        before={"name": studio.name, "leader": request.old_leader_name},
        after={"name": request.new_name, "leader": request.new_leader_name},
        reason=request.reason,
        studio=studio,
        rule="R23",
    )
    from accounts.services import district_staff_users, notify

    url = reverse("studios:rename_decide", args=[request.pk])
    notify(
        district_staff_users(),
        kind="lifecycle.rename_requested",
        title=format_lazy(
            gettext_lazy("Rename request (Article 23): {old} → {new}"),
            old=request.old_name,
            new=request.new_name,
        ),
        body=request.reason,
        url=url,
    )
    return request


@transaction.atomic
def decide_rename_request(actor, request, approve: bool, note: str = "", on: date | None = None):
    """R23: the district union approves (the studio is renamed and the new leader takes office
    through the lifecycle's ``rename`` move; recognition, cycle and grants stay as they are) or
    refuses the request."""
    from .lifecycle import A, transition
    from .lifecycle_models import RenameRequest

    request = RenameRequest.objects.select_for_update().get(pk=request.pk)
    require_perm(actor, "studios.decide_rename", request.studio)
    decision = "approve" if approve else "refuse"
    new_status = RENAME_TRANSITIONS.get((request.status, decision))
    if new_status is None:
        raise refuse(
            "R23",
            _("this request was already decided (%(status)s).")
            % {"status": request.get_status_display()},
        )
    on = on or timezone.localdate()
    if approve:
        transition(
            request.studio,
            A.RENAME,
            actor,
            on=on,
            reason=request.reason,
            new_name=request.new_name,
            new_leader={
                "name": request.new_leader_name,
                "position": request.new_leader_position,
                "is_model_worker": request.new_leader_is_model_worker,
                "is_high_tech_talent": request.new_leader_is_high_tech_talent,
                "is_high_skill_talent": request.new_leader_is_high_skill_talent,
            },
        )
    request.status = new_status
    request.decided_by = actor
    request.decided_on = on
    request.decision_note = note
    request.save(update_fields=["status", "decided_by", "decided_on", "decision_note"])
    record_event(
        actor,
        f"rename.{new_status}",
        request,
        after={"status": new_status},
        reason=note,
        studio=request.studio,
        rule="R23",
    )
    from accounts.services import notify, union_users_of

    notify(
        union_users_of(request.studio.enterprise_id),
        kind="lifecycle.rename_decided",
        title=format_lazy(
            gettext_lazy("Rename request {old} → {new}: {decision}"),
            old=request.old_name,
            new=request.new_name,
            decision=request.get_status_display(),
        ),
        body=note,
        url=reverse("studios:studio_detail", args=[request.studio_id]),
    )
    return request


# --- Municipal recommendation (R30) -------------------------------------------------------


@transaction.atomic
def recommend_to_municipal(actor, studio: Studio, on: date | None = None, note: str = ""):
    from .lifecycle import HOLDS_TITLE
    from .lifecycle_models import MunicipalRecommendation

    studio = Studio.objects.select_for_update().get(pk=studio.pk)
    require_perm(actor, "studios.recommend_municipal", studio)
    if studio.status not in HOLDS_TITLE:
        raise refuse("R30", _("only a recognised studio is recommended."))
    rec = MunicipalRecommendation.objects.create(
        studio=studio,
        recommended_on=on or timezone.localdate(),
        note=note,
        recommended_by=actor if getattr(actor, "pk", None) else None,
    )
    record_event(
        actor,
        "studio.recommended_to_municipal",
        rec,
        after={"recommended_on": rec.recommended_on},
        reason=note,
        studio=studio,
        rule="R30",
    )
    return rec
