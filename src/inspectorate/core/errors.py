"""One error hierarchy for services; the API and the pages render it the same way.

``ApplicationError(message, code, extra)``: ``message`` is already translated (gettext in
the raising function), ``code`` is a stable machine code, ``extra`` carries details such as
field errors. Subclasses fix the HTTP status.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


class ApplicationError(Exception):
    status_code = 400
    default_code = "invalid"

    def __init__(
        self, message: str, code: str | None = None, extra: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.extra = extra or {}


class ValidationFailed(ApplicationError):
    """Bad input. ``extra["fields"]`` maps a field name to a list of messages."""

    status_code = 400
    default_code = "validation_failed"

    @classmethod
    def of_fields(cls, fields: dict[str, list[str]]) -> ValidationFailed:
        """Field-level errors under the common message."""
        return cls(_("The data is not valid."), extra={"fields": fields})

    @classmethod
    def from_django(cls, exc: Any) -> ValidationFailed:
        if hasattr(exc, "message_dict"):
            fields = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        else:
            fields = {"__all__": [str(m) for m in exc.messages]}
        return cls(_("The data is not valid."), extra={"fields": fields})


class NotFound(ApplicationError):
    """Missing, or outside the user's jurisdiction: the two are never told apart."""

    status_code = 404
    default_code = "not_found"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("Not found."))


class PermissionDenied(ApplicationError):
    """In scope but the user's role may not do this."""

    status_code = 403
    default_code = "permission_denied"


class IllegalTransition(ApplicationError):
    status_code = 409
    default_code = "illegal_transition"


class ConcurrentModification(ApplicationError):
    """The row changed since the client read it (its version no longer matches)."""

    status_code = 409
    default_code = "concurrent_modification"

    @classmethod
    def stale(cls, current_version: int | None) -> ConcurrentModification:
        """The 409 of an optimistic-lock miss, naming the row's current version."""
        return cls(
            _("Someone else changed this record after you opened it. Reload and try again."),
            extra={"current_version": current_version},
        )


def check_version(current: int | None, expected: int | None) -> None:
    """The optimistic-lock check every write shares: an ``expected`` version that is not the
    row's ``current`` one is a 409; ``None`` (the client sent none) is not checked."""
    if expected is not None and current != expected:
        raise ConcurrentModification.stale(current)
