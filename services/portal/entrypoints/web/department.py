"""A district department's pages: importing the modules registers their routes on the blueprint."""

from __future__ import annotations

from services.portal.entrypoints.web import department_award, department_calls  # noqa: F401 (their routes)
from services.portal.entrypoints.web.department_blueprint import blp

__all__ = ["blp"]
