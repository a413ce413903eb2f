"""Demo rows for the funds, added by ``seed_demo``: a few grants of both causes and payers, paid
and awaiting payments, some spending by the demo union, one suspension. Idempotent."""

from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from studios.models import Studio

from . import services
from .models import (
    Disbursement,
    Expenditure,
    ExpenditureCategory,
    Grant,
    GrantCause,
    ProhibitedBehaviour,
)

RECEIPT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _receipt(name="receipt.pdf"):
    return ContentFile(RECEIPT_PDF, name=name)


def _pick_studios(union):
    """The demo union's studios first (so its home shows money), then others of both payers."""
    own = list(Studio.objects.filter(enterprise=union.enterprise_id).order_by("pk")[:2])
    others = Studio.objects.exclude(enterprise=union.enterprise_id).select_related("enterprise")
    fiscal = list(
        others.filter(enterprise__union_affiliated_with_district=False).order_by("pk")[:2]
    )
    district = list(
        others.filter(enterprise__union_affiliated_with_district=True).order_by("pk")[:3]
    )
    return own, fiscal + district


def seed_funding_demo(stdout, rng) -> None:
    """Pays and spends against the grants the lifecycle demo created through R26 (or creates a
    few if the lifecycle demo did not run). Idempotent: once any money moved, it does nothing."""
    if Disbursement.objects.exists() or Expenditure.objects.exists():
        return
    users = {u.username: u for u in User.objects.filter(username__in=FUNDING_LOGINS)}
    if set(users) != set(FUNDING_LOGINS) or users["union"].role != Role.ENTERPRISE_UNION:
        stdout.write("Funding demo skipped: the demo logins are missing.")
        return
    finance, finance2, union, district = (users[name] for name in FUNDING_LOGINS)
    today = timezone.localdate()
    own, others = _pick_studios(union)
    with transaction.atomic():
        grants = list(Grant.objects.select_related("studio").order_by("pk"))
        own = [g.studio for g in grants if g.studio.enterprise_id == union.enterprise_id] or own
        others = [
            g.studio for g in grants if g.studio.enterprise_id != union.enterprise_id
        ] or others
        for index, studio in enumerate([] if grants else own + others):
            on = today - timedelta(days=420 if index % 2 else 90)
            cause = GrantCause.INNOVATION_STAR if index == len(own) + 1 else None
            cause = cause or GrantCause.NEXT_YEAR_REREVIEW
            grants.append(services.grant_entitlement(studio, cause, 1, on))
        grants = [g for g in grants if g is not None] or list(Grant.objects.order_by("pk"))
        for index, grant in enumerate(grants):
            if index == len(grants) - 1:
                continue  # one grant nothing paid yet
            first = services.record_disbursement(
                finance,
                grant,
                {
                    "paid_on": min(grant.granted_on + timedelta(days=30), today),
                    "amount": Decimal("120000.00"),
                    "voucher_number": f"记-{grant.granted_on:%Y}-{100 + index}",
                    "bank_reference": f"ICBC{rng.randint(10**9, 10**10 - 1)}",
                },
            )
            services.approve_disbursement(finance2, first)
            if index % 2 == 0:
                services.record_disbursement(
                    finance,
                    grant,
                    {
                        "paid_on": today,
                        "amount": Decimal("80000.00"),
                        "voucher_number": f"记-{today:%Y}-{200 + index}",
                    },
                )
        spending = [
            (ExpenditureCategory.EQUIPMENT, "18600.00", "北京精工设备有限公司", "三坐标测量仪探头"),
            (ExpenditureCategory.MATERIALS, "4350.50", "亦庄五金材料商行", "工装夹具试制材料"),
            (ExpenditureCategory.TRAINING, "6000.00", "北京市职业技能培训中心", "焊接技能培训"),
        ]
        for studio in own[:1]:
            for day, (category, amount, payee, purpose) in enumerate(spending):
                services.record_expenditure(
                    union,
                    studio,
                    {
                        "category": category,
                        "spent_on": today - timedelta(days=20 - day * 5),
                        "amount": Decimal(amount),
                        "payee": payee,
                        "purpose": purpose,
                        "project_name": "焊接工艺数字化改进项目",
                        "receipt": _receipt(),
                    },
                )
        if others:
            services.record_violation(
                district,
                others[-1],
                {
                    "behaviour": ProhibitedBehaviour.NO_SEPARATE_ACCOUNTING,
                    "found_on": today - timedelta(days=7),
                    "description": "专项审计发现助推资金未单独核算，与企业日常经费混用。",
                    "evidence": _receipt("audit-finding.pdf"),
                },
                {"suspend": True},
            )
    stdout.write(f"Funding demo: {len(grants)} grants, payments, spending and one suspension.")


FUNDING_LOGINS = ("finance", "finance2", "union", "district")
