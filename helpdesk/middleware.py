from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers

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
    """Simplified Chinese unless the user picked English with the switch (a cookie).

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: shop
    computers often run English-language browsers, and the team works in Chinese."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response
