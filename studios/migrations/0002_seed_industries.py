from django.db import migrations

# The district's leading industries (R4). District staff maintain the list in the admin.
INDUSTRIES = [
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


def add_industries(apps, schema_editor):
    Industry = apps.get_model("studios", "Industry")
    for name, name_en, supported in INDUSTRIES:
        Industry.objects.get_or_create(name=name, defaults={"name_en": name_en, "supported": supported})


class Migration(migrations.Migration):
    dependencies = [("studios", "0001_initial")]
    operations = [migrations.RunPython(add_industries, migrations.RunPython.noop)]
