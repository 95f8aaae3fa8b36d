"""Daily work (such as expiring demands past their deadline). Apps register their tasks in
`AppConfig.ready`; `manage.py daily_tasks` enqueues them all, once or every night with --loop
(`make run` starts the loop; a deployment may use cron or a systemd timer instead)."""

DAILY_TASKS = []


def register_daily_task(task) -> None:
    if task not in DAILY_TASKS:
        DAILY_TASKS.append(task)
