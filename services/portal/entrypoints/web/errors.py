"""Error pages a person can act on: never a trace, always what happened and what to do next."""

from __future__ import annotations

import logging

from flask import Flask, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from services.portal.adapters.api_client import ApiRefusal, ServiceDown

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    @app.errorhandler(ServiceDown)
    def service_down(exc: ServiceDown):
        log.warning("a service did not answer: %s", exc)
        return render_template("errors/service_down.html"), 503, {"Retry-After": "30"}

    @app.errorhandler(ApiRefusal)
    def api_refusal(exc: ApiRefusal):
        # A page that did not catch the refusal itself: an expired sign-in, a page that is not theirs, or gone.
        if exc.status == 401:
            session.clear()
            return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?"), expired=1))
        if exc.status in (403, 404):
            return render_template("errors/not_found.html"), 404
        return render_template("errors/refused.html", refusal=exc), exc.status

    @app.errorhandler(CSRFError)
    def form_expired(exc: CSRFError):
        return render_template("errors/form_expired.html"), 400

    @app.errorhandler(404)
    def not_found(exc):
        return render_template("errors/not_found.html"), 404

    @app.errorhandler(413)
    def too_large(exc):
        return render_template("errors/too_large.html"), 413

    @app.errorhandler(HTTPException)
    def other_http(exc: HTTPException):
        return render_template("errors/generic.html", code=exc.code), exc.code

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unexpected error on %s", request.path)
        return render_template("errors/generic.html", code=500), 500
