"""The town's legal pages (Wagtail StandardPages under its home page, made by
shops_pages.skeleton and edited by the association): where they are, the version of the
CGV a customer accepts at checkout, and the short addresses /cgv/ and /mentions-legales/.

    legal_page(slug, site=None)     the live page of that slug in the town, or None
    current_terms_version(site=None) -> str   the CGV's published revision, readable
"""
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone

from townmarket.sites import current_site

NOTICE_SLUG = "mentions-legales"
TERMS_SLUG = "conditions-generales-de-vente"
PRIVACY_SLUG = "confidentialite"


def legal_page(slug, site=None, request=None):
    from shops_pages.models import StandardPage

    site = site or current_site(request)
    if site is None:
        return None
    return (StandardPage.objects.live().descendant_of(site.root_page, inclusive=False)
            .filter(slug=slug).order_by("depth", "pk").first())


def current_terms_version(site=None):
    """« 01/12/2026 14:05, révision 42 »: when the CGV page was last published (Paris time) and
    its live revision, so an order says which text its customer accepted. Empty without a page."""
    page = legal_page(TERMS_SLUG, site=site)
    if page is None or page.last_published_at is None:
        return ""
    published = timezone.localtime(page.last_published_at)
    return f"{published:%d/%m/%Y %H:%M}, révision {page.live_revision_id}"


def terms_url(request):
    page = legal_page(TERMS_SLUG, request=request)
    return page.get_url(request) if page is not None else f"/{TERMS_SLUG}/"


def redirect_to_legal_page(request, slug):
    """/cgv/ and /mentions-legales/ (short addresses people type) lead to the town's page,
    whatever slug the association gave it."""
    page = legal_page(slug, request=request)
    if page is None:
        raise Http404
    return redirect(page.get_url(request))
