from django.db import migrations

from cases.staff_roles import ensure_staff_groups, remove_staff_groups


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("cases", "0002_catalog"),
        ("accounts", "0005_reopen_request"),
        ("training", "0005_pickup_delay"),
    ]

    operations = [migrations.RunPython(ensure_staff_groups, remove_staff_groups)]
