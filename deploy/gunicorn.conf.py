"""gunicorn settings shared by the three APIs; every knob can be overridden from the environment."""

import gc
import multiprocessing
import os
import sys
import tempfile

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Not WEB_CONCURRENCY: uvicorn (inside `prefect server`) reads that one too and refuses to start with it.
workers = int(os.environ.get("GUNICORN_WORKERS", min(4, multiprocessing.cpu_count() * 2)))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "1") == "1" else None
errorlog = "-"
# Refuse giant headers early; bodies are limited by each app (MAX_CONTENT_LENGTH).
limit_request_line = 8190
# The master imports and builds the app once and the workers are forked from it, sharing those pages instead of
# each importing its own copy (issue 21: ~60 MB of PSS over the four APIs in the demo, measured on a quiet machine
# where the demo round passed with it, bench/README.md); post_fork below gives each worker its own database
# connections. The price: a HUP reloads the workers but not the code (restart the process to deploy new code).
# GUNICORN_PRELOAD_APP=0 turns it off.
preload_app = os.environ.get("GUNICORN_PRELOAD_APP", "1") == "1"

# Workers share one Prometheus directory, so /metrics sums every worker's request histograms. Set here, when the
# master reads this file: a preloaded app imports prometheus_client (which reads it once) before on_starting runs.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="sscp-metrics-"))


def pre_fork(server, worker):
    """The preloaded app's objects go to the collector's permanent generation before the fork: a worker's garbage
    collections then do not write to (and so copy) every page it shares with the master."""
    gc.freeze()


def post_fork(server, worker):
    """A worker of a preloaded app must not share the master's pooled database connections."""
    db = sys.modules.get("services.common.db")  # absent when the app is not preloaded (or is not one of ours)
    if db is not None:
        db.after_fork()


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
