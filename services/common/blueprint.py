"""flask-smorest's Blueprint as every service's API uses it: the same, minus the work it redid on every request.

flask-smorest hands webargs the schema classes of ``@blp.arguments`` and of pagination, and webargs builds an
instance of each on every request; it also builds a schema to write each page's X-Pagination header. That was a
third of a cached listing's time in the application (issue 21, bench/README.md). A schema holds no state of a
load between calls, so one instance per class serves every request, and the header is a function of three
numbers.
"""

from __future__ import annotations

import functools

import flask_smorest
import marshmallow as ma
from flask_smorest import abort
from webargs.flaskparser import FlaskParser

# flask-smorest leaves ``?page=`` unbounded; (page - 1) * page_size becomes a SQL OFFSET that overflows the driver.
MAX_PAGE = 1_000_000


class SchemaReusingParser(FlaskParser):
    """webargs' Flask parser, building one instance of each schema class it is given, once."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._instances: dict[type[ma.Schema], ma.Schema] = {}

    def _get_schema(self, argmap, req) -> ma.Schema:
        if isinstance(argmap, type) and issubclass(argmap, ma.Schema):
            instance = self._instances.get(argmap)
            if instance is None:
                instance = self._instances.setdefault(argmap, argmap())
            return instance
        return super()._get_schema(argmap, req)


class BoundedPaginationParser(SchemaReusingParser):
    """Parses ``?page=&page_size=`` as flask-smorest does, then refuses a page number beyond MAX_PAGE (422)."""

    def parse(self, argmap, req=None, **kwargs):
        parameters = super().parse(argmap, req, **kwargs)
        if getattr(parameters, "page", 0) > MAX_PAGE:
            message = f"must be at most {MAX_PAGE}"
            abort(422, message=f"page {message}", messages={"query": {"page": [message]}})
        return parameters


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = SchemaReusingParser()
    PAGINATION_ARGUMENTS_PARSER = BoundedPaginationParser()
    # (page, page_size, total) -> the header's dict, which the caller only serialises.
    _make_pagination_metadata = staticmethod(
        functools.lru_cache(maxsize=4096)(flask_smorest.Blueprint._make_pagination_metadata)
    )
