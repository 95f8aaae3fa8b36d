"""Background work of matching: index updates, rebuilds and the nightly announcement."""

from django.tasks import task
from django.utils.translation import gettext as _
from django.utils.translation import override

from kechuang.core.models import Job
from kechuang.matching import services


@task()
def sync_index(table: str, pks: list[int]) -> dict:
    return services.index_sync(table, pks)


@task()
def rebuild_index(job_id: int, language: str) -> None:
    from kechuang.core.services import job_finish, job_progress

    job = Job.objects.get(pk=job_id)
    with override(language):
        job_progress(job, progress=1, message=_("Reading the records"))

        def progress(done, total):
            job_progress(job, progress=int(98 * done / max(total, 1)) + 1,
                         message=_("%(done)d of %(total)d records encoded") % {"done": done, "total": total})

        count = services.index_rebuild(progress=progress)
        job_finish(job, message=_("The matching index holds %(count)d records.") % {"count": count})


@task()
def announce_strong_matches() -> int:
    return services.announce_new_strong_matches()


def enqueue_sync(table: str, pks: list[int]) -> None:
    """The libraries' index listener: runs after their transaction commits."""
    sync_index.enqueue(table, pks)
