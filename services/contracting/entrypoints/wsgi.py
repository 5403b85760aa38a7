"""WSGI entry point for gunicorn: `gunicorn -c deploy/gunicorn.conf.py services.contracting.entrypoints.wsgi:app`."""

from services.common.runtime import configure_logging
from services.contracting.entrypoints.api import create_app

configure_logging()
app = create_app()
