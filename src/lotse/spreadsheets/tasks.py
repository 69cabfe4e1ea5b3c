"""Background tasks of the spreadsheet import (django-tasks; the worker is ``lotse db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import(job_id: int) -> None:
    """Run a confirmed import job; progress and the result are written to the job row."""
    from lotse.spreadsheets.services import import_run

    import_run(job_id)


@task()
def check_import(job_id: int, actor_id: int) -> None:
    """Read an uploaded list and run the dry run (the request only stored the file)."""
    from lotse.spreadsheets.services import import_analyse

    import_analyse(job_id, actor_id)
