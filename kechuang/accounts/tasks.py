"""Background work of accounts."""

from django.tasks import task

from kechuang.accounts.services import sign_in_throttles_prune


@task()
def prune_sign_in_throttles() -> int:
    """Daily: forgets the failed sign-in counters that no longer matter."""
    return sign_in_throttles_prune()
