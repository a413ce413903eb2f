"""The district's leading industries (R4), as first installed. District staff maintain the list
(name, supported or not) in the admin; the migration and the demo data start from this one."""

DEFAULT_INDUSTRIES = [
    ("新一代信息技术", "New-generation information technology", True),
    ("高端汽车和新能源智能汽车", "High-end and new-energy intelligent vehicles", True),
    ("生物技术和大健康", "Biotechnology and health", True),
    ("机器人和智能制造", "Robotics and intelligent manufacturing", True),
    ("集成电路", "Integrated circuits", True),
    ("新材料", "New materials", True),
    ("航空航天", "Aerospace", True),
    ("科技服务", "Technology services", True),
    ("其他", "Other", False),
]


def ensure_default_industries(industry_model) -> None:
    for name, name_en, supported in DEFAULT_INDUSTRIES:
        industry_model.objects.get_or_create(
            name=name, defaults={"name_en": name_en, "supported": supported}
        )
