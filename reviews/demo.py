"""Demo rows for ``seed_demo``: this year's call, open for about three more weeks, and a few
applications in different states. Idempotent: a second run finds the call and adds nothing."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from core.dates import end_of_day
from studios.eligibility import check_eligibility, is_eligible
from studios.models import Studio, StudioStatus
from studios.queries import with_eligibility_data

from . import services
from .models import Application, ApplicationMaterial, ApplicationStatus, Call, MaterialKind

DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
DEMO_MATERIALS = {
    MaterialKind.APPLICATION_FORM: True,
    MaterialKind.PROJECT_FORM: True,
    MaterialKind.RESULTS: True,
    MaterialKind.TALENT: False,
    MaterialKind.PHOTOS: False,
    MaterialKind.VIDEOS: False,
}
#: Demo applications of studios outside the demo union's enterprise, in these states.
OTHER_STATES = [
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.RETURNED,
    ApplicationStatus.DRAFT,
]


def seed_calls_and_applications(stdout, rng) -> None:
    staff = User.objects.filter(role=Role.DISTRICT_UNION, is_active=True).order_by("pk").first()
    year = timezone.localdate().year
    if staff is None or Call.objects.filter(year=year).exists():
        return
    with transaction.atomic():
        call = _create_open_call(staff, year)
        union = User.objects.filter(username="union").first()
        made = _create_applications(call, union, rng)
    stdout.write(f"Created the call of {year} with {made} demo applications.")


def _create_open_call(staff, year) -> Call:
    now = timezone.now()
    call = services.create_call(
        staff,
        {
            "year": year,
            "title": f"{year}年度经开区职工创新工作室评选",
            "opens_at": now - timedelta(days=7),
            "closes_at": end_of_day(timezone.localdate() + timedelta(days=21)),
            "notes": "请各企业工会择优推荐，按要求上传申报材料。",
        },
        DEMO_MATERIALS,
    )
    return services.publish_call(staff, call)


def _create_applications(call, union, rng) -> int:
    studios = with_eligibility_data(Studio.objects.filter(status=StudioStatus.APPLICANT))
    eligible = [s for s in studios.order_by("pk") if is_eligible(check_eligibility(s))]
    own = [s for s in eligible if union and s.enterprise_id == union.enterprise_id]
    others = [s for s in eligible if s not in own]
    made = 0
    if own[1:]:  # leave the union's first eligible studio free to apply in the demo
        _demo_application(call, own[1], ApplicationStatus.DRAFT, union)
        made += 1
    for studio, status in zip(others, OTHER_STATES, strict=False):
        _demo_application(call, studio, status, union)
        made += 1
    return made


def _demo_application(call, studio, status, union) -> Application:
    """Rows written directly (demo only): the other enterprises have no union login to act as."""
    application = Application.objects.create(
        call=call,
        studio=studio,
        talent_cultivation="开展名师带徒3对，组织技能培训12次，2名成员晋升高级技师。",
    )
    application.projects.create(
        name="焊接机器人工艺优化", status="已完成", applied_in_unit=True, description="提升效率"
    )
    application.results.create(title="一种焊接夹具", kind="utility_model", applied_in_practice=True)
    for kind in (MaterialKind.APPLICATION_FORM, MaterialKind.PROJECT_FORM, MaterialKind.RESULTS):
        material = ApplicationMaterial(
            application=application,
            kind=kind,
            original_name=f"{kind}.pdf",
            size=len(DEMO_PDF),
            content_type="application/pdf",
        )
        material.file.save(f"{kind}.pdf", ContentFile(DEMO_PDF), save=False)
        material.save()
    if status == ApplicationStatus.DRAFT:
        return application
    now = timezone.now()
    services._number_application(application)
    application.first_submitted_at = application.submitted_at = now
    application.snapshot = services.build_snapshot(application, check_eligibility(studio))
    application.status = status
    if status == ApplicationStatus.RETURNED:
        application.staff_comment = "请补充创新项目表的负责人签字页。"
        application.resubmit_by = timezone.localdate() + timedelta(days=10)
    if status in (ApplicationStatus.ACCEPTED, ApplicationStatus.RETURNED):
        application.decided_at = now
    application.save()
    return application
