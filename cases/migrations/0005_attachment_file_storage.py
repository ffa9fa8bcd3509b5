"""Attachment bytes move out of the database into the attachments storage (cases/storage.py).

Local files by default, an S3-compatible bucket when STORAGE_S3_BUCKET is set: web machines then share
what any of them stored. Reversible: going back reads each file into the database again.
"""

from django.core.files.base import ContentFile
from django.db import migrations, models

import cases.storage


def move_bytes_to_storage(apps, schema_editor):
    Attachment = apps.get_model("cases", "Attachment")
    storage = cases.storage.attachment_storage()
    rows = Attachment.objects.select_related("attachment_set__account").only(
        "attachment_id", "data", "attachment_set__account__account_id"
    )
    for attachment in rows.iterator(chunk_size=100):
        name = f"{attachment.attachment_set.account.account_id}/{attachment.attachment_id}"
        attachment.file = storage.save(name, ContentFile(bytes(attachment.data)))
        attachment.save(update_fields=["file"])


def move_bytes_to_database(apps, schema_editor):
    Attachment = apps.get_model("cases", "Attachment")
    storage = cases.storage.attachment_storage()
    for attachment in Attachment.objects.only("file").iterator(chunk_size=100):
        with storage.open(attachment.file.name, "rb") as stored:
            attachment.data = stored.read()
        attachment.save(update_fields=["data"])
        storage.delete(attachment.file.name)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_instructors_group"),
    ]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="file",
            field=models.FileField(default="", max_length=200, storage=cases.storage.attachment_storage, upload_to=""),
            preserve_default=False,
        ),
        migrations.RunPython(move_bytes_to_storage, move_bytes_to_database),
        # A default, so that going back can add the column to existing rows before their bytes return.
        migrations.AlterField(model_name="attachment", name="data", field=models.BinaryField(default=b"")),
        migrations.RemoveField(model_name="attachment", name="data"),
    ]
