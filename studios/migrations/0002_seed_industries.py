from django.db import migrations

from studios.industries import ensure_default_industries


def add_industries(apps, schema_editor):
    ensure_default_industries(apps.get_model("studios", "Industry"))


class Migration(migrations.Migration):
    dependencies = [("studios", "0001_initial")]
    operations = [migrations.RunPython(add_industries, migrations.RunPython.noop)]
