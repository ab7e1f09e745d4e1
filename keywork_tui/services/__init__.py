"""The domain rules, and the only code that writes.

Every write takes the acting staff member, validates its input with a pydantic
model, runs in one transaction with an audit event, and returns plain data.
"""

from keywork_tui.services.team.signin import SignInRefused

from .actor import Actor, actor_for
from .errors import (
    ConflictError,
    FieldError,
    NotFoundError,
    PermissionDeniedError,
    ServiceError,
)

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
