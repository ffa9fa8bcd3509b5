from celery import shared_task

from iam.authentication import purge_sign_in_failures as purge


@shared_task(name="portal.tasks.purge_sign_in_failures")
def purge_sign_in_failures() -> int:
    """Beat job: drop sign-in failures that no longer count towards a lockout."""
    return purge()
