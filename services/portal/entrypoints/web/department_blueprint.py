"""The blueprint of a district department's pages (its calls, from draft to contract, and their history). The
pages live in department_calls (home, creating and running a call) and department_award (evaluation, award,
complaints, contracts, reports, renewals, history)."""

from __future__ import annotations

from flask import Blueprint

blp = Blueprint("department", __name__, url_prefix="/department")
