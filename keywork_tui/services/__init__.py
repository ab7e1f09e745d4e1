"""The domain rules, and the only code that writes.

Every write takes the acting staff member, validates its input with a pydantic
model, runs in one transaction with an audit event, and returns plain data.

The acting staff member and sign-in's refusal load on first use, as each
module below does: importing one service does not load them all.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from .errors import (
    ConflictError,
    FieldError,
    NotFoundError,
    PermissionDeniedError,
    ServiceError,
)

if TYPE_CHECKING:
    from .actor import Actor, actor_for
    from .team.signin import SignInRefused

__all__ = [
    "Actor",
    "ConflictError",
    "FieldError",
    "NotFoundError",
    "PermissionDeniedError",
    "ServiceError",
    "SignInRefused",
    "actor_for",
]

_LATER = {"Actor": ".actor", "actor_for": ".actor", "SignInRefused": ".team.signin"}


def __getattr__(name: str) -> object:
    if name not in _LATER:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_LATER[name], __name__), name)
