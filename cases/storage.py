"""Where attachment bytes live: the "attachments" entry of settings.STORAGES.

Local files under MEDIA_ROOT by default; an S3-compatible bucket when STORAGE_S3_BUCKET is set, so that
every web machine serves a file uploaded through any other. Only names are kept in the database, and
every download still goes through the portal's permission checks (the views stream the file).
"""

import logging

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

logger = logging.getLogger(__name__)

ALIAS = "attachments"


class _AttachmentStorage(LazyObject):
    # Looked up when first used rather than when the model is imported, and again after a test
    # changes STORAGES: the FileField keeps this one object for good.
    def _setup(self):
        self._wrapped = storages[ALIAS]


_storage = _AttachmentStorage()


def attachment_storage():
    """The storage of Attachment.file (a callable, so migrations name it instead of freezing a backend)."""
    return _storage


@receiver(setting_changed)
def _forget_backend(*, setting, **kwargs):
    if setting in {"STORAGES", "MEDIA_ROOT"}:
        _storage._wrapped = empty


def delete_after_commit(name: str) -> None:
    """Remove a stored file once the rows that named it are gone for good (not if the transaction rolls back)."""

    def delete():
        try:
            _storage.delete(name)
        except Exception:  # a file left behind is harmless; a failed purge job is not
            logger.exception("Could not delete attachment file %s", name)

    transaction.on_commit(delete)
