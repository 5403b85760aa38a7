"""One small state machine for every status the services keep: a table of moves and one refusal (InvalidTransition).

Pure Python, so each service's ``domain/`` can define its table with it and stay free of Flask and SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from services.common.errors import InvalidTransition


class StateMachine:
    """``transitions`` maps each action to {from status: to status}.

    ``automatic`` actions follow from others (a contract activates on its second signature): ``next`` runs them,
    but ``allowed`` does not offer them to callers.
    """

    def __init__(
        self, entity: str, transitions: Mapping[str, Mapping[str, str]], automatic: Iterable[str] = ()
    ) -> None:
        self.entity = entity
        self.transitions = transitions
        self.automatic = frozenset(automatic)

    def allowed(self, current: str) -> list[str]:
        """The actions a caller may take from ``current``, in order; empty for a final or unknown status."""
        return sorted(
            action for action, moves in self.transitions.items() if current in moves and action not in self.automatic
        )

    def next(self, current: str, action: str) -> str:
        """The status after ``action``, or InvalidTransition (409) naming the current status and what is allowed."""
        moves = self.transitions.get(action, {})
        if current not in moves:
            raise InvalidTransition(self.entity, current, action, self.allowed(current))
        return moves[current]

    def next_statuses(self, current: str) -> list[str]:
        """The statuses a caller can reach from ``current`` in one move, each once, in order."""
        return sorted({self.transitions[action][current] for action in self.allowed(current)})
