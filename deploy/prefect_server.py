"""The Prefect server, started exactly as `prefect server start` does, after one compatibility fix.

Prefect 3.8.8's scheduler inserts the runs of cron and interval schedules with one ORM bulk INSERT whose rows
carry a ``state`` key (used afterwards for the run's first state; ``FlowRun.state`` is a hybrid property).
SQLAlchemy 2.1 began passing hybrid keys of bulk INSERT rows to the hybrid's ``bulk_dml`` setter
(sqlalchemy#12496) and raises "Can't evaluate bulk DML statement" when there is none. The scheduler service
then fails on every loop and no scheduled deployment (the daily renewal sweep) ever gets a run, silently.
SQLAlchemy 2.0 ignored the key; this gives ``state`` a setter that does the same, on SQLAlchemy's own copy of
each row. Remove it once Prefect ships its own fix (3.9 does not install here; DESIGN.md §9).
"""

from __future__ import annotations

from collections.abc import Sequence


def _ignore_state(_cls, row: dict, _value) -> None:
    row.pop("state", None)


def allow_state_in_bulk_inserts() -> list[str]:
    """Patch the server's ORM models where SQLAlchemy needs it; returns the models patched (none on 2.0)."""
    from prefect.server.database import orm_models

    patched = []
    for model in (orm_models.FlowRun, orm_models.TaskRun):
        hybrid = model.__dict__["state"]
        if hasattr(hybrid, "bulk_dml") and getattr(hybrid, "bulk_dml_setter", None) is None:
            # hybrid.bulk_dml() itself fails in 2.1.9 (it passes bulk_dml= to a constructor expecting
            # bulk_dml_setter=), so make the same copy directly.
            model.state = hybrid._copy(bulk_dml_setter=_ignore_state)
            patched.append(model.__name__)
    return patched


def start(arguments: Sequence[str]) -> None:
    """`prefect server start ARGUMENTS`, in this process, with the fix applied."""
    import sys

    from prefect.cli import app

    allow_state_in_bulk_inserts()
    sys.argv = ["prefect", "server", "start", *arguments]  # the CLI reads its arguments from sys.argv
    app()
