from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_outbox"),
    ]

    operations = [
        migrations.CreateModel(
            name="BeatLease",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=50, unique=True)),
                ("holder", models.CharField(blank=True, max_length=200)),
                ("expires_at", models.DateTimeField()),
                ("last_run_at", models.JSONField(default=dict)),
            ],
        ),
    ]
