"""WSGI entry point for gunicorn: `gunicorn -c deploy/gunicorn.conf.py services.portal.entrypoints.wsgi:app`."""

from services.common.runtime import configure_logging
from services.portal.entrypoints.web import create_app

configure_logging()
app = create_app()
