"""Errors a service raises for the user to read; anything else is a bug."""


class ServiceError(Exception):
    """A request the rules refuse; the message is plain words for the user."""


class NotFoundError(ServiceError):
    pass


class PermissionDeniedError(ServiceError):
    pass


class ConflictError(ServiceError):
    """The record changed or is final; nothing was overwritten."""


class FieldError(ServiceError):
    """A value the rules refuse, to be shown beside the field it belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class RecordRefusedError(ServiceError):
    """One of many records written together was refused, the one at `index`,
    for `cause`; none of them was written."""

    def __init__(self, index: int, cause: ServiceError) -> None:
        super().__init__(str(cause))
        self.index = index
        self.cause = cause
