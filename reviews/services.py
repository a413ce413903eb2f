"""Every write to calls and applications. Each function checks that the actor may act, changes
the rows in one transaction, records the change in the audit log and notifies after commit.

An application's status changes only through ``transition`` and its table ``TRANSITIONS``.
"""

import io
import mimetypes

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from accounts.services import district_staff_users, notify, union_users_of
from audit.services import changed_fields, record_event, snapshot
from core import policy
from core.dates import end_of_day
from core.db import refuse_duplicate
from core.files import check_image_pixels, validate_upload_under
from core.limits import APPLICATION_MAX_MATERIALS
from core.permissions import require_perm
from core.refusals import refuse
from studios.eligibility import Finding, check_eligibility
from studios.hooks import APPLICATION_GUARDS
from studios.models import Studio
from studios.queries import with_eligibility_data

from .models import (
    MATERIAL_FILE_KINDS,
    Application,
    ApplicationMaterial,
    ApplicationProject,
    ApplicationResult,
    ApplicationStatus,
    Call,
    CallMaterial,
)

NUMBER_FORMAT = "{year}-SQ-{sequence:04d}"
THUMBNAIL_SIZE = (320, 320)


def refuse_all(rule: str, reasons) -> ValidationError:
    """Several reasons under one rule at once — a list of messages, or ``{field: message}`` — each
    worded as ``core.refusals.refuse`` words one (citing the article); ``code`` is the rule."""
    if isinstance(reasons, dict):
        exc = ValidationError({field: [refuse(rule, m)] for field, m in reasons.items()})
    else:
        exc = ValidationError([refuse(rule, m) for m in reasons])
    exc.code = exc.rule = rule
    return exc


def _lazy_format(message, **params):
    """A message rendered in the recipient's language when ``notify`` renders it."""
    return lazy(lambda: str(message) % params, str)()


# --- Calls (R16, R18) ---------------------------------------------------------------------


def _set_materials(call: Call, materials: dict) -> None:
    """``materials``: ``{kind: required}`` for each material the call lists."""
    call.materials.exclude(kind__in=list(materials)).delete()
    for kind, required in materials.items():
        CallMaterial.objects.update_or_create(call=call, kind=kind, defaults={"required": required})


#: Two staff creating the call of the same year at once: the second insert loses.
_DUPLICATE_CALL = gettext_lazy("There is already a call for this year.")


@transaction.atomic
def create_call(actor, data: dict, materials: dict) -> Call:
    require_perm(actor, "reviews.manage_calls")
    call = Call(**data)
    call.full_clean()
    with refuse_duplicate(_DUPLICATE_CALL, field="year"):
        call.save()
    _set_materials(call, materials)
    record_event(actor, "call.created", call, after=snapshot(call), rule="R16")
    return call


@transaction.atomic
def update_call(actor, call: Call, data: dict, materials: dict) -> Call:
    call = Call.objects.select_for_update().get(pk=call.pk)
    require_perm(actor, "reviews.manage_calls", call)
    before = snapshot(call)
    for name, value in data.items():
        setattr(call, name, value)
    call.full_clean()
    with refuse_duplicate(_DUPLICATE_CALL, field="year"):
        call.save()
    if call.is_published:
        _refuse_overlap(call)
    _set_materials(call, materials)
    old, new = changed_fields(before, snapshot(call))
    record_event(actor, "call.updated", call, before=old, after=new, rule="R16")
    return call


def _refuse_overlap(call: Call) -> None:
    overlapping = (
        Call.objects.published()
        .exclude(pk=call.pk)
        .filter(opens_at__lte=call.closes_at, closes_at__gte=call.opens_at)
        .first()
    )
    if overlapping is not None:
        raise refuse(
            "R16",
            _(
                "applications are called once a year and only one call may be open at a time; "
                "this window overlaps the call of %(year)s."
            )
            % {"year": overlapping.year},
        )


@transaction.atomic
def publish_call(actor, call: Call) -> Call:
    """Publishing makes the call visible to every union; windows of published calls may not
    overlap, so there is never more than one open call (R16)."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    require_perm(actor, "reviews.manage_calls", call)
    if call.is_published:
        return call
    _refuse_overlap(call)
    call.published_at = timezone.now()
    call.save(update_fields=["published_at"])
    record_event(actor, "call.published", call, after={"published_at": call.published_at})
    unions = User.objects.filter(is_active=True, role=Role.ENTERPRISE_UNION)
    notify(
        unions,
        kind="reviews.call_published",
        title=_lazy_format(gettext_lazy("The call for %(year)s is published"), year=call.year),
        body=_lazy_format(
            gettext_lazy("Applications are accepted until %(closes)s."),
            closes=timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M"),
        ),
        url=reverse("accounts:home"),
        key=f"reviews.call_published:{call.pk}",
    )
    return call


def open_call(moment=None) -> Call | None:
    return Call.objects.open_at(moment).prefetch_related("materials").first()


# --- Applications: drafting ---------------------------------------------------------------


def already_recognised_guard(studio: Studio, on, call: Call | None = None) -> list[Finding]:
    """R16/R17: recognition comes once; a studio holding the title does not apply again through
    a call — its next steps are re-reviews. A studio whose title was revoked (R32) or that was
    delisted (R25) may apply again as a new applicant to a later call, one opening after the
    day it lost the title; it meets R4–R9 again (``eligibility_guard``) and funding's R29 guard
    keeps it out while a re-application bar is in force."""
    from studios.eligibility import _finding
    from studios.queries import title_lost_on

    if not studio.holds_title:
        lost_on = title_lost_on(studio) if call is not None else None
        if lost_on is not None and timezone.localdate(call.opens_at) <= lost_on:
            return [
                _finding(
                    "R16",
                    False,
                    gettext_lazy(
                        "Article 16: the studio lost its title on %(day)s; it may apply again "
                        "to a call that opens after that day."
                    ),
                    day=lost_on.isoformat(),
                )
            ]
        return []
    return [
        _finding(
            "R16",
            False,
            gettext_lazy(
                "Articles 16 and 17: the studio's status is “%(status)s”; only studios not yet "
                "recognised may apply through the call."
            ),
            status=studio.get_status_display(),
        )
    ]


def eligibility_guard(studio: Studio, on) -> list[Finding]:
    """R4–R9 as a submission guard."""
    return check_eligibility(studio, on)


def start_guard_findings(studio: Studio, on, call: Call) -> list[Finding]:
    """What keeps a studio from starting a draft for ``call``: its standing (R16/R17, a later
    call after losing the title) and every bar another app registers (funding's R29); not
    R4–R9, which the draft may still put right before it is submitted."""
    findings = already_recognised_guard(studio, on, call)
    for guard in APPLICATION_GUARDS:
        if guard not in (eligibility_guard, already_recognised_guard):
            findings.extend(guard(studio, on))
    return [f for f in findings if not f.ok]


def guard_findings(studio: Studio, on=None) -> list[Finding]:
    """Every registered guard's findings (R4–R9, already recognised, funding's R29 bar …)."""
    on = on or timezone.localdate()
    findings = []
    for guard in APPLICATION_GUARDS:
        findings.extend(guard(studio, on))
    return findings


@transaction.atomic
def start_application(actor, studio: Studio, call: Call | None = None) -> Application:
    require_perm(actor, "reviews.start_application")
    if studio.enterprise_id != actor.enterprise_id:
        raise PermissionDenied(_("You may not do this."))
    call = call or open_call()
    if call is None or not call.is_open():
        raise refuse("R16", _("there is no open call for applications."))
    refusals = start_guard_findings(studio, timezone.localdate(), call)
    if refusals:
        raise SubmissionRefused(refusals)
    existing = Application.objects.filter(call=call, studio=studio).first()
    if existing is not None:
        raise refuse(
            "R16",
            _("This studio already has an application for the call of %(year)s.")
            % {"year": call.year},
        )
    application = Application.objects.create(call=call, studio=studio, created_by=actor)
    record_event(
        actor,
        "application.started",
        application,
        after={"call": call.year, "status": application.status},
        studio=studio,
        rule="R16",
    )
    return application


def _lock_editable(actor, application: Application) -> Application:
    application = (
        Application.objects.select_for_update()
        .select_related("studio", "call")
        .get(pk=application.pk)
    )
    require_perm(actor, "reviews.change_application", application)
    return application


@transaction.atomic
def save_talent_cultivation(actor, application: Application, text: str) -> Application:
    application = _lock_editable(actor, application)
    if application.talent_cultivation != text:
        application.talent_cultivation = text
        application.save(update_fields=["talent_cultivation", "updated_at"])
        record_event(
            actor,
            "application.talent_saved",
            application,
            after={"talent_cultivation": text[:500]},
            studio=application.studio,
        )
    return application


@transaction.atomic
def replace_projects(actor, application: Application, rows: list[dict]) -> None:
    """The project step saves the whole list at once: what the union sees is what is stored."""
    application = _lock_editable(actor, application)
    application.projects.all().delete()
    for row in rows:
        project = ApplicationProject(application=application, **row)
        project.full_clean()
        project.save()
    record_event(
        actor,
        "application.projects_saved",
        application,
        after={"projects": [r["name"] for r in rows]},
        studio=application.studio,
        rule="R18",
    )


@transaction.atomic
def replace_results(actor, application: Application, rows: list[dict]) -> None:
    application = _lock_editable(actor, application)
    application.results.all().delete()
    for row in rows:
        result = ApplicationResult(application=application, **row)
        result.full_clean()
        result.save()
    record_event(
        actor,
        "application.results_saved",
        application,
        after={"results": [r["title"] for r in rows]},
        studio=application.studio,
        rule="R18",
    )


# --- Materials (R18) ----------------------------------------------------------------------


def make_thumbnail(upload) -> bytes:
    from PIL import Image, ImageOps

    upload.seek(0)
    with Image.open(upload) as img:
        check_image_pixels(img)  # from the header, before a pixel is decoded
        # Shrink first, with a reduced decode (JPEG at 1/2…1/8 scale), then turn it upright:
        # turning first would decode the whole photo at full size.
        img.draft(None, THUMBNAIL_SIZE)
        img.thumbnail(THUMBNAIL_SIZE, reducing_gap=2.0)
        img = ImageOps.exif_transpose(img)
        buffer = io.BytesIO()
        img.convert("RGB").save(buffer, "JPEG", quality=80)
    upload.seek(0)
    return buffer.getvalue()


def add_material(actor, application: Application, kind: str, upload) -> ApplicationMaterial:
    """Check the file by content, store it (and a thumbnail for photos), then record it. If any
    step fails, the files already stored are removed and nothing else changes: a half-finished
    upload leaves neither a row without a file nor a file without a row."""
    if kind not in MATERIAL_FILE_KINDS:
        raise refuse("R18", _("Choose which material this file is."))
    file_kind = validate_upload_under("R18", upload, MATERIAL_FILE_KINDS[kind])
    stored = []
    try:
        with transaction.atomic():
            application = _lock_editable(actor, application)
            if application.materials.count() >= APPLICATION_MAX_MATERIALS:
                raise ValidationError(
                    _(
                        "An application may hold at most %(max)s files; remove one before "
                        "adding another."
                    ),
                    code="too_many_files",
                    params={"max": APPLICATION_MAX_MATERIALS},
                )
            material = ApplicationMaterial(
                application=application,
                kind=kind,
                original_name=(upload.name or "file")[-255:],
                size=upload.size,
                content_type=mimetypes.guess_type(upload.name)[0] or sorted(file_kind.mimes)[0],
                uploaded_by=actor,
            )
            material.file.save(upload.name, upload, save=False)
            stored.append(material.file)
            if file_kind.code == "image":
                material.thumbnail.save("thumb.jpg", ContentFile(make_thumbnail(upload)), False)
                stored.append(material.thumbnail)
            material.save()
            record_event(
                actor,
                "application.material_added",
                material,
                after={"kind": kind, "name": material.original_name, "size": material.size},
                studio=application.studio,
                rule="R18",
            )
    except BaseException:
        for fieldfile in stored:
            fieldfile.storage.delete(fieldfile.name)
        raise
    return material


def remove_material(actor, material: ApplicationMaterial) -> None:
    with transaction.atomic():
        application = _lock_editable(actor, material.application)
        record_event(
            actor,
            "application.material_removed",
            material,
            before={"kind": material.kind, "name": material.original_name},
            studio=application.studio,
            rule="R18",
        )
        files = [material.file, material.thumbnail]
        material.delete()
        transaction.on_commit(lambda: [f.storage.delete(f.name) for f in files if f])


def missing_materials(application: Application) -> list:
    """R18: the kinds the call marks required that have no file yet."""
    have = {m.kind for m in application.materials.all()}
    return [m for m in application.call.materials.all() if m.required and m.kind not in have]


# --- The snapshot --------------------------------------------------------------------------


def _iso(value):
    return value.isoformat() if value else None


def build_snapshot(application: Application, findings: list[Finding]) -> dict:
    """Everything experts read, frozen (shape documented on ``Application``). Labels are
    frozen in the portal's default language (Chinese, the language of the Measures) whoever
    submits; the codes beside them let a page relabel in another language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _snapshot_of(application, findings)


def studio_records(studio: Studio, today) -> dict:
    """The studio, its leader with honours and its team on ``today``: the part of every
    snapshot experts read, whether frozen from an application or for a re-review round.
    ``studio`` must come through ``with_eligibility_data`` so this runs no further query."""
    leader = studio.current_leader
    return {
        "studio": {
            "id": studio.pk,
            "name": studio.name,
            "type": studio.type,
            "type_label": str(studio.get_type_display()),
            "enterprise": studio.enterprise.name,
            "enterprise_id": studio.enterprise_id,
            "industry": studio.enterprise.industry.name,
            "founded_on": _iso(studio.founded_on),
            "area_m2": str(studio.area_m2),
            "address": studio.address,
            "equipment": studio.equipment,
            "working_funds_cny": str(studio.working_funds_cny),
            "introduction": studio.introduction,
        },
        "leader": None
        if leader is None
        else {
            "name": leader.name,
            "position": leader.position,
            "expertise": leader.expertise,
            "is_model_worker": leader.is_model_worker,
            "is_high_tech_talent": leader.is_high_tech_talent,
            "is_high_skill_talent": leader.is_high_skill_talent,
            "since": _iso(leader.since),
            "honours": [
                {
                    "kind": h.kind,
                    "kind_label": str(h.get_kind_display()),
                    "title": h.title,
                    "awarded_on": _iso(h.awarded_on),
                }
                for h in leader.honours.all()
            ],
        },
        "members": [
            {
                "name": m.name,
                "position": m.position,
                "talent_kind": m.talent_kind,
                "talent_label": str(m.get_talent_kind_display()),
                "skill_level": m.skill_level,
                "is_frontline": m.is_frontline,
                "joined_on": _iso(m.joined_on),
            }
            for m in studio.members.all()
            if m.is_active_on(today)
        ],
    }


def _snapshot_of(application: Application, findings: list[Finding]) -> dict:
    studio = with_eligibility_data(Studio.objects.filter(pk=application.studio_id)).get()
    today = timezone.localdate()
    return {
        "version": 1,
        "frozen_at": timezone.localtime().isoformat(),
        "call": {
            "id": application.call_id,
            "year": application.call.year,
            "title": application.call.title,
        },
        "number": application.number,
        **studio_records(studio, today),
        "projects": [
            {
                "name": p.name,
                "started_on": _iso(p.started_on),
                "status": p.status,
                "applied_in_unit": p.applied_in_unit,
                "description": p.description,
            }
            for p in application.projects.all()
        ],
        "results": [
            {
                "title": r.title,
                "kind": r.kind,
                "kind_label": str(r.get_kind_display()),
                "obtained_on": _iso(r.obtained_on),
                "applied_in_practice": r.applied_in_practice,
                "benefit": r.benefit,
            }
            for r in application.results.all()
        ],
        "talent_cultivation": application.talent_cultivation,
        "eligibility": [
            {
                "rule": f.rule,
                "ok": f.ok,
                "message_zh": str(f.message_zh),
                "message_en": str(f.message_en),
            }
            for f in findings
        ],
        "materials": [
            {
                "id": m.pk,
                "kind": m.kind,
                "kind_label": str(m.get_kind_display()),
                "original_name": m.original_name,
                "size": m.size,
                "content_type": m.content_type,
            }
            for m in application.materials.all()
        ],
    }


# --- The one transition function ----------------------------------------------------------


class Action:
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    ACCEPT = "accept"
    RETURN = "return"
    REJECT = "reject"


S = ApplicationStatus
#: ``(status, action) -> new status``. Anything not here is refused and changes nothing.
TRANSITIONS = {
    (S.DRAFT, Action.SUBMIT): S.SUBMITTED,
    (S.WITHDRAWN, Action.SUBMIT): S.SUBMITTED,
    (S.RETURNED, Action.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, Action.WITHDRAW): S.WITHDRAWN,
    (S.SUBMITTED, Action.ACCEPT): S.ACCEPTED,
    (S.SUBMITTED, Action.RETURN): S.RETURNED,
    (S.SUBMITTED, Action.REJECT): S.REJECTED,
}
PERMISSIONS = {
    Action.SUBMIT: "reviews.submit_application",
    Action.WITHDRAW: "reviews.withdraw_application",
    Action.ACCEPT: "reviews.check_application",
    Action.RETURN: "reviews.check_application",
    Action.REJECT: "reviews.check_application",
}


class SubmissionRefused(ValidationError):
    """Refused by a guard (R4–R9, R16, R29 …) or a missing material (R18), on submitting or on
    starting an application; carries the findings so the page can list each with its rule.
    Each message is a finding's own, which cites its article; ``code`` is the first rule."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__([ValidationError(f.message, code=f.rule) for f in findings])
        self.code = self.rule = findings[0].rule if findings else None


def allowed_actions(user, application: Application) -> list[str]:
    return [
        action
        for (status, action) in TRANSITIONS
        if status == application.status and user.has_perm(PERMISSIONS[action], application)
    ]


def transition(
    actor, application: Application, action: str, *, comment: str = "", resubmit_by=None
) -> Application:
    """Move an application along ``TRANSITIONS``, under a row lock, after checking the actor's
    permission and the action's preconditions; audit and notify in the same transaction."""
    with transaction.atomic():
        application = (
            Application.objects.select_for_update()
            .select_related("call", "studio", "studio__enterprise")
            .get(pk=application.pk)
        )
        if action not in PERMISSIONS:
            raise refuse("R16", _("Unknown action."))
        require_perm(actor, PERMISSIONS[action], application)
        target = TRANSITIONS.get((application.status, action))
        if target is None:
            raise refuse(
                ACTION_RULES[action],
                _("An application that is “%(status)s” cannot be %(action)s.")
                % {"status": application.get_status_display(), "action": ACTION_LABELS[action]},
            )
        before = {"status": application.status}
        now = timezone.now()
        PRECONDITIONS[action](actor, application, now, comment=comment, resubmit_by=resubmit_by)
        EFFECTS[action](actor, application, now, comment=comment, resubmit_by=resubmit_by)
        application.status = target
        application.save()
        record_event(
            actor,
            f"application.{action}",
            application,
            before=before,
            after={"status": target, "number": application.number},
            reason=comment,
            rule=ACTION_RULES[action],
            studio=application.studio,
        )
        NOTICES[action](application)
    return application


ACTION_LABELS = {
    Action.SUBMIT: gettext_lazy("submitted"),
    Action.WITHDRAW: gettext_lazy("withdrawn"),
    Action.ACCEPT: gettext_lazy("accepted"),
    Action.RETURN: gettext_lazy("returned"),
    Action.REJECT: gettext_lazy("rejected"),
}
ACTION_RULES = {
    Action.SUBMIT: "R16",
    Action.WITHDRAW: "R16",
    Action.ACCEPT: "R17",
    Action.RETURN: "R18",
    Action.REJECT: "R16",
}


def _check_submission_deadline(application: Application, now) -> None:
    """Server-side, whatever the page showed. A returned application has the deadline staff
    set; otherwise the call's window."""
    call = application.call
    if application.status == S.RETURNED and application.resubmit_by:
        if now > end_of_day(application.resubmit_by):
            raise refuse(
                "R16",
                _("the deadline for resubmission was %(day)s; it has passed.")
                % {"day": application.resubmit_by.isoformat()},
            )
        return
    if not call.is_published or now < call.opens_at:
        raise refuse("R16", _("the call is not open yet."))
    if now > call.closes_at:
        raise refuse(
            "R16",
            _("the call closed at %(closes)s; submissions are no longer accepted.")
            % {"closes": timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M")},
        )


def _check_submit(actor, application, now, **kwargs) -> None:
    from studios.eligibility import _finding

    _check_submission_deadline(application, now)
    studio = with_eligibility_data(Studio.objects.filter(pk=application.studio_id)).get()
    refusals = [f for f in guard_findings(studio, timezone.localdate(now)) if not f.ok]
    for material in missing_materials(application):
        refusals.append(
            _finding(
                "R18",
                False,
                gettext_lazy("Article 18 not met: the call requires “%(material)s”; upload it."),
                material=material.get_kind_display(),
            )
        )
    if refusals:
        raise SubmissionRefused(refusals)


def _check_withdraw(actor, application, now, **kwargs) -> None:
    if now > application.call.closes_at:
        raise refuse(
            "R16", _("the call has closed; a submitted application can no longer be withdrawn.")
        )


def _check_return(actor, application, now, *, comment, resubmit_by, **kwargs) -> None:
    errors = {}
    if not comment.strip():
        errors["comment"] = _("Say what the union must correct.")
    if resubmit_by is None:
        errors["resubmit_by"] = _("Set the deadline for resubmission.")
    elif resubmit_by < timezone.localdate(now):
        errors["resubmit_by"] = _("The deadline for resubmission cannot be in the past.")
    if errors:
        raise refuse_all("R18", errors)


def _check_reject(actor, application, now, *, comment, **kwargs) -> None:
    if not comment.strip():
        raise refuse("R16", _("Give the reason for the rejection."), field="comment")


def _no_check(*args, **kwargs) -> None:
    return None


PRECONDITIONS = {
    Action.SUBMIT: _check_submit,
    Action.WITHDRAW: _check_withdraw,
    Action.ACCEPT: _no_check,
    Action.RETURN: _check_return,
    Action.REJECT: _check_reject,
}


def _number_application(application: Application) -> None:
    """The next number of the call's year. The call row is locked, so two unions submitting at
    the same moment cannot take the same sequence (and the unique constraints back it up)."""
    call = Call.objects.select_for_update().get(pk=application.call_id)
    last = call.applications.aggregate(m=Max("sequence"))["m"] or 0
    application.sequence = last + 1
    application.number = NUMBER_FORMAT.format(year=call.year, sequence=application.sequence)


def _effect_submit(actor, application, now, **kwargs) -> None:
    if application.number is None:
        _number_application(application)
        application.first_submitted_at = now
    application.submitted_at = now
    application.submitted_by = actor
    studio = with_eligibility_data(Studio.objects.filter(pk=application.studio_id)).get()
    findings = check_eligibility(studio, timezone.localdate(now))
    application.snapshot = build_snapshot(application, findings)


def _effect_decide(actor, application, now, *, comment="", resubmit_by=None, **kwargs) -> None:
    application.decided_at = now
    application.staff_comment = comment
    application.resubmit_by = resubmit_by


EFFECTS = {
    Action.SUBMIT: _effect_submit,
    Action.WITHDRAW: _no_check,
    Action.ACCEPT: _effect_decide,
    Action.RETURN: _effect_decide,
    Action.REJECT: _effect_decide,
}


def _notify_staff_of_submission(application) -> None:
    notify(
        district_staff_users(),
        kind="reviews.application_submitted",
        title=_lazy_format(
            gettext_lazy("Application %(number)s submitted: %(studio)s"),
            number=application.number,
            studio=application.studio.name,
        ),
        url=reverse("reviews:application_detail", args=[application.pk]),
    )


def _notify_staff_of_withdrawal(application) -> None:
    notify(
        district_staff_users(),
        kind="reviews.application_withdrawn",
        title=_lazy_format(
            gettext_lazy("Application %(number)s withdrawn by the union: %(studio)s"),
            number=application.number,
            studio=application.studio.name,
        ),
        url=reverse("reviews:application_detail", args=[application.pk]),
    )


def _notify_union(message):
    def send(application) -> None:
        notify(
            union_users_of(application.studio.enterprise_id),
            kind="reviews.application_checked",
            title=_lazy_format(message, number=application.number, studio=application.studio.name),
            body=application.staff_comment,
            url=reverse("reviews:application_detail", args=[application.pk]),
        )

    return send


NOTICES = {
    Action.SUBMIT: _notify_staff_of_submission,
    Action.WITHDRAW: _notify_staff_of_withdrawal,
    Action.ACCEPT: _notify_union(
        gettext_lazy("Application %(number)s (%(studio)s) was accepted into review")
    ),
    Action.RETURN: _notify_union(
        gettext_lazy("Application %(number)s (%(studio)s) was returned for correction")
    ),
    Action.REJECT: _notify_union(gettext_lazy("Application %(number)s (%(studio)s) was rejected")),
}


# --- Reminders -----------------------------------------------------------------------------


def send_call_close_reminders(today=None) -> int:
    """Remind unions with unsubmitted drafts 7 and 1 days before the close (policy). Keys make
    each reminder go once however often the job runs; a missed day is caught up by sending the
    nearest reminder due, never both."""
    today = today or timezone.localdate()
    sent = 0
    for call in Call.objects.published().filter(closes_at__gte=timezone.now()):
        days_left = (timezone.localdate(call.closes_at) - today).days
        due = [d for d in policy.CALL_CLOSE_REMINDER_DAYS if 0 <= days_left <= d]
        if not due:
            continue
        days = min(due)
        drafts = call.applications.filter(status__in=[S.DRAFT, S.WITHDRAWN]).select_related(
            "studio"
        )
        recipients = _union_users_by_enterprise({a.studio.enterprise_id for a in drafts})
        for application in drafts:
            with transaction.atomic():
                sent += len(
                    notify(
                        recipients.get(application.studio.enterprise_id, []),
                        kind="reviews.call_closing",
                        title=_lazy_format(
                            gettext_lazy(
                                "%(days)s day(s) left: the application of %(studio)s is not "
                                "submitted"
                            ),
                            days=days_left,
                            studio=application.studio.name,
                        ),
                        body=_lazy_format(
                            gettext_lazy("The call of %(year)s closes at %(closes)s."),
                            year=call.year,
                            closes=timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M"),
                        ),
                        url=reverse("reviews:application_detail", args=[application.pk]),
                        key=f"reviews.call_close:{application.pk}:{days}d",
                    )
                )
    return sent


def _union_users_by_enterprise(enterprise_ids) -> dict:
    users = {}
    for user in User.objects.filter(
        is_active=True, role=Role.ENTERPRISE_UNION, enterprise_id__in=enterprise_ids
    ):
        users.setdefault(user.enterprise_id, []).append(user)
    return users
