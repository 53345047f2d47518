"""The one way to build an absolute URL: every e-mail, PDF, QR code, payment return URL
and template link that leaves the site goes through absolute_url().

The address is the Wagtail Site's (Settings > Sites in the admin), following Wagtail's
own `Site.root_url` convention: port 443 is https://host, port 80 http://host, any
other port http://host:port. The scheme becomes https when the request was served over
TLS (`request.is_secure()`, which honours SECURE_PROXY_SSL_HEADER behind a proxy) or
when settings.HTTPS is on (production.py's switch).

The host never comes from the request's Host header: a forged Host would otherwise put
an attacker's address in a password-reset link (« password-reset poisoning »)."""
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .sites import current_site


def site_root_url(request=None, site=None):
    """« https://marche.example.fr » (no trailing slash) for `site`, or the request's
    Site, or the default Site."""
    site = site or current_site(request)
    if site is None:
        raise ImproperlyConfigured("Aucun site Wagtail : créez-en un (Paramètres > Sites).")
    hostname, port = site.hostname, site.port
    secure = port == 443 or getattr(settings, "HTTPS", False) or (request is not None and request.is_secure())
    if port in (80, 443):
        return f"{'https' if secure else 'http'}://{hostname}"
    return f"{'https' if secure else 'http'}://{hostname}:{port}"


def absolute_url(path, request=None, site=None):
    """`path` (« /boutique/… », with its query string) on the Site's address. A URL that
    already names its host is returned as it is."""
    path = str(path or "/")
    parts = urlsplit(path)
    if parts.scheme in ("http", "https") and parts.netloc:
        return path
    return site_root_url(request, site) + "/" + path.lstrip("/")
