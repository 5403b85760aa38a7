"""A gunicorn worker forked from a preloaded app (deploy/gunicorn.conf.py) opens its own database connections."""

from __future__ import annotations

from sqlalchemy import text

from services.common.db import after_fork, make_engine


def test_after_a_fork_the_pool_is_emptied_without_closing_the_parents_connections(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'shared.sqlite'}")
    with engine.connect() as connection:
        inherited = connection.connection.dbapi_connection
    assert engine.pool.checkedin() == 1

    after_fork()

    assert engine.pool.checkedin() == 0, "the child would have reused the parent's connection"
    assert inherited.execute("SELECT 1").fetchone() == (1,), "the parent's connection was closed under it"
    with engine.connect() as connection:
        assert connection.connection.dbapi_connection is not inherited
        assert connection.execute(text("SELECT 1")).scalar() == 1
    inherited.close()  # the parent's to close, as it would
    engine.dispose()
