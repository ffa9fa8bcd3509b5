from django.db import migrations

from cases.staff_roles import INSTRUCTORS, ensure_staff_groups


def remove_instructors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=INSTRUCTORS).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_staff_groups")]

    operations = [migrations.RunPython(ensure_staff_groups, remove_instructors)]
