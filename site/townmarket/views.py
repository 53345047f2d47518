from django.http import HttpResponse


def healthcheck(request):
    """A trivial view: the benchmark's baseline and a load balancer's probe."""
    return HttpResponse("ok", content_type="text/plain")
