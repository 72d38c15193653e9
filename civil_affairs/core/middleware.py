from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from django.utils.translation import gettext as _


class LanguageMiddleware:
    """Pages speak the bureau's language (Simplified Chinese) unless the user chose another
    in the navbar (the language cookie). The API also honours Accept-Language, for other
    systems. Replaces Django's LocaleMiddleware, which would follow the browser's setting."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen and translation.check_for_language(chosen):
            language = chosen
        elif request.path.startswith("/api/"):
            language = translation.get_language_from_request(request)
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


NUL = "\x00"


class RefuseNulMiddleware:
    """PostgreSQL refuses a NUL character in text, so a request carrying one (`%00` in the
    path, a query or form parameter, a cookie or the Authorization header) is bad input:
    400 with a message, before any view puts it into a query. JSON bodies are the API's
    parsers' to check (core/api.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            refused = self._carries_nul(request)
        except MultiPartParserError:
            return self._bad(request, _("The form could not be read."))
        if refused:
            return self._bad(request, _("No field may contain a NUL character (%00)."))
        return self.get_response(request)

    @staticmethod
    def _bad(request: HttpRequest, message: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")

    @staticmethod
    def _carries_nul(request: HttpRequest) -> bool:
        if NUL in request.path or NUL in request.META.get("HTTP_AUTHORIZATION", ""):
            return True
        texts: list[str] = [*request.COOKIES.keys(), *request.COOKIES.values()]
        for data in (request.GET, _form_data(request)):
            for key, values in data.lists():
                texts.append(key)
                texts.extend(v for v in values if isinstance(v, str))
        return any(NUL in text for text in texts)


def _form_data(request: HttpRequest) -> QueryDict:
    """The request's form fields (not its files), when the body is a form."""
    content_type = request.META.get("CONTENT_TYPE", "")
    if request.method == "POST" and content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        return request.POST
    return QueryDict()


class ContentSecurityPolicyMiddleware:
    """Every response carries settings.CONTENT_SECURITY_POLICY (a dict: directive → sources)
    unless the view set its own header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = "; ".join(
            f"{directive} {' '.join(sources)}".strip()
            for directive, sources in settings.CONTENT_SECURITY_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.header)
        return response
