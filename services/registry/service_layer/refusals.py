"""Turns the registry domain's refusals (and a lost race on a version) into the errors the web layer answers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from services.common.errors import Conflict, Forbidden, Invalid, InvalidTransition
from services.registry.domain.access import NotAllowed
from services.registry.domain.lifecycle import TransitionRefused
from services.registry.domain.rules import RuleViolation


@contextmanager
def domain_refusals() -> Iterator[None]:
    try:
        yield
    except RuleViolation as exc:
        raise Invalid(exc.field, str(exc)) from exc
    except NotAllowed as exc:
        raise Forbidden(str(exc), field=exc.field) from exc
    except TransitionRefused as exc:
        raise InvalidTransition(exc.entity, exc.current, exc.attempted, exc.allowed) from exc
    except StaleDataError as exc:
        # Someone else committed a change to the same record after we read it: ours would have been lost.
        raise Conflict("the record was changed by someone else meanwhile; reload it and try again") from exc


@contextmanager
def unique(field: str, message: str) -> Iterator[None]:
    """A unique constraint that another writer won first: the same 409 as the check that precedes it."""
    try:
        yield
    except IntegrityError as exc:
        raise Conflict(message, field=field) from exc
