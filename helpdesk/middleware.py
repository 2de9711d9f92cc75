from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from .errors import DomainError


class DomainErrorMiddleware:
    """A rule that refuses an action is an answer for the user, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError):
            return None
        if getattr(request, "htmx", False):
            return HttpResponse(str(exception), status=exception.status_code)
        return render(
            request, "error.html", {"message": str(exception)}, status=exception.status_code
        )


class LanguageMiddleware:
    """Simplified Chinese unless the person picked English with the switch: the choice is
    kept on their account (so it follows them to every computer), and in a cookie for the
    login page and the buyers' pages.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: shop
    computers often run English-language browsers, and the team works in Chinese."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        user = getattr(request, "user", None)
        chosen = user.language if user is not None and user.is_authenticated else ""
        language = chosen or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response


class NulCharacterMiddleware:
    """Refuse (400) a request whose query string or form holds a NUL character.

    PostgreSQL text cannot hold NUL, so a filter value carrying one (``?shop=%00``) made
    the database driver raise and the page or API answer 500; schemathesis found it.
    Forms already refuse NUL field by field; this covers every filter read straight from
    the query string. No legitimate input holds one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only url-encoded forms: their body stays readable after parsing (a multipart
        # body would not, and the signed webhook reads its raw body itself).
        form = request.content_type == "application/x-www-form-urlencoded"
        if _holds_nul(request.GET) or (form and _holds_nul(request.POST)):
            return HttpResponseBadRequest(_("请求中含有无效字符。"))
        return self.get_response(request)


def _holds_nul(data) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in data.lists()
    )
