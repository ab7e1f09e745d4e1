"""The argon2 hasher that PINs, passphrases and set-up codes are kept with.

Made on the first hash or check, so a terminal where nobody types a secret
(the demo, a home that asks for no PIN) never loads argon2 at all."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from argon2 import PasswordHasher

_hasher: PasswordHasher | None = None


def hasher() -> PasswordHasher:
    global _hasher  # one hasher for the process, as argon2's own examples keep it
    if _hasher is None:
        from argon2 import PasswordHasher

        _hasher = PasswordHasher()
    return _hasher


def matches(hashed: str, secret: str) -> bool | None:
    """True or False for a match; None when the stored hash cannot be read."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        hasher().verify(hashed, secret)
    except VerificationError:
        return False
    except InvalidHashError:
        return None
    return True
