"""The town's legal pages (Wagtail StandardPages under its home page, made by
shops_pages.skeleton and edited by the association): where they are, the version of the
CGV a customer accepts at checkout, and the short addresses /cgv/ and /mentions-legales/.

    legal_page(slug, site=None)     the live page of that slug in the town, or None
    current_terms_version(site=None) -> str   the CGV's published revision, readable
    fill_placeholders(html, identity, request)  {association}, {hebergeur}… replaced at render time

The pages' texts carry placeholders rather than values so that they follow the town's
settings (Paramètres → Identité du marché) when those change, and so that new_town can
create them before the settings exist; the association edits the words around them.
"""
import re

from django.http import Http404
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.shortcuts import redirect
from django.utils import timezone

from townmarket.absolute_urls import site_root_url
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
    if page is None:
        return ""
    if page.last_published_at is None:  # made in code, never published through a revision
        return f"version initiale (page {page.pk})"
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


# {placeholder}: (TownSettings field, what to fill in when it is empty)
PLACEHOLDERS = {
    "marche": ("name", "le nom du marché"),
    "association": ("association_name", "le nom de l'association"),
    "adresse_association": ("association_address", "l'adresse de l'association"),
    "telephone_association": ("phone", "le téléphone de l'association"),
    "email_association": ("email", "l'e-mail de l'association"),
    "numero_association": ("registration_number", "le numéro RNA ou SIRET de l'association"),
    "directeur_publication": ("publication_director", "le directeur ou la directrice de la publication"),
    "hebergeur": ("host_name", "le nom de l'hébergeur"),
    "adresse_hebergeur": ("host_address", "l'adresse de l'hébergeur"),
    "telephone_hebergeur": ("host_phone", "le téléphone de l'hébergeur"),
    "mediateur": ("mediator_name", "le nom du médiateur de la consommation"),
    "site_mediateur": ("mediator_website", "le site du médiateur de la consommation"),
    "adresse_du_site": (None, "l'adresse du site"),
}
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def placeholder_values(identity, request=None):
    values = {}
    for key, (field, missing) in PLACEHOLDERS.items():
        value = site_root_url(request) if field is None else getattr(identity, field, "")
        values[key] = escape(value) if value else (
            f'<strong class="legal-missing">[À compléter par l\'association : {escape(missing)}]</strong>')
    return values


def fill_placeholders(html, identity, request=None):
    """`html` (already escaped) with each known {placeholder} replaced by the town's value;
    unknown braces are left as written."""
    values = placeholder_values(identity, request)
    return mark_safe(PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), str(html)))
