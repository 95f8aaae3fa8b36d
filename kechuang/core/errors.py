"""Errors that services raise and views translate into messages or 4xx responses."""

from django.core.exceptions import PermissionDenied


class DomainError(Exception):
    """A rule of the domain refused the action; the message is shown to the user."""

    def __init__(self, message, *, code="domain_error"):
        super().__init__(message)
        self.message = message
        self.code = code


class TransitionNotAllowed(DomainError):
    def __init__(self, message, *, code="transition_not_allowed"):
        super().__init__(message, code=code)


__all__ = ["DomainError", "PermissionDenied", "TransitionNotAllowed"]
