from celery import shared_task

from . import services


@shared_task(name="accounts.tasks.settle_region")
def settle_region(opt_in_id: int, expected_status: str) -> bool:
    """ENABLING -> ENABLED or DISABLING -> DISABLED, queued with a countdown by enable/disable_region."""
    return services.settle_region(opt_in_id, expected_status)


@shared_task(name="accounts.tasks.settle_due_regions")
def settle_due_regions() -> int:
    """Beat job: settle Region changes whose delay has passed (if their own task was lost)."""
    return services.settle_due_regions()


@shared_task(name="accounts.tasks.terminate_expired_accounts")
def terminate_expired_accounts() -> int:
    """Beat job: accounts closed more than 90 days ago are closed for good."""
    return services.terminate_expired_accounts()
