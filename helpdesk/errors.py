"""Domain errors carry a message for a person; views and the API turn them into a form
error or a 400/403/409 response, never a 500."""

from rest_framework.response import Response
from rest_framework.views import exception_handler


class DomainError(Exception):
    """A rule refused the action. ``str(error)`` is the message shown to the user."""

    status_code = 400


class ConflictError(DomainError):
    """The object changed under the caller (already claimed, already decided)."""

    status_code = 409


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {"detail": str(exc)}
        if getattr(exc, "rule", None):  # the policy rule, for clients; people read ``detail``
            body["rule"] = exc.rule
        return Response(body, status=exc.status_code)
    return exception_handler(exc, context)
