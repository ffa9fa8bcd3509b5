from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0005_reopen_request"),
    ]

    operations = [
        migrations.AddField(
            model_name="account",
            name="iam_policy_version",
            field=models.PositiveBigIntegerField(default=0, editable=False),
        ),
    ]
