"""Refusing, before any view runs, requests no page of the site can produce."""
from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string


class RejectNulBytesMiddleware:
    """A request carrying a NUL character (%00) in its path, query string, posted form
    or cookies gets a 400 page before any view runs. No link or form of the site makes
    one, and PostgreSQL refuses NUL in text, so every view filtering on such a value
    (a directory filter, an order number in the URL, a session cookie…) would
    otherwise fail with a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if carries_nul(request):
            return HttpResponseBadRequest(render_to_string("400.html", request=None))
        return self.get_response(request)


def carries_nul(request):
    texts = [request.path, request.path_info, *request.COOKIES.keys(), *request.COOKIES.values()]
    texts += [text for key, values in request.GET.lists() for text in (key, *values)]
    # Multipart bodies are left to the forms (Django's CharField refuses NUL): reading
    # them here would parse uploads before the view chose its upload handlers.
    if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
        texts += [text for key, values in request.POST.lists() for text in (key, *values)]
    return any("\x00" in text for text in texts)
