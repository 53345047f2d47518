"""The pages every town has under its home page, and the kinds of shop merchants pick
from when they apply: built by `manage.py new_town` (a real town) and
`manage.py load_demo_town` (the demo)."""
import datetime

from django.db import transaction
from django.utils.text import slugify

from shops_pages.demo.catalogue_data import KINDS
from shops_pages.legal_texts import LEGAL_PAGES
from shops_pages.models import NewsIndexPage, ShopIndexPage, ShopKind, StandardPage

# What the legal pages said before they had default texts (towns made then still carry it).
OLD_CHECKLIST_INTRODUCTION = "À compléter par l'association avant l'ouverture du site : cette page doit indiquer :"

# The accessibility statement (RGAA's form). Its level comes from the audit made with
# this version of the site: axe-core on the pages below, at 390×844 and 1280×800
# (tests/browser, WCAG 2.0/2.1/2.2 A and AA). The association's contact and the
# recourse are not stored in the page: includes/accessibility_contact.html shows them
# from the town's settings (standard_page.html includes it on this page).
ACCESSIBILITY_SLUG = "accessibilite"
ACCESSIBILITY_AUDIT = {
    "date": datetime.date(2026, 12, 1), "date_text": "1er décembre 2026", "tool": "axe-core 4.12",
    "pages": [
        "l'accueil", "la liste des commerces", "la vitrine d'un commerce", "le catalogue", "une catégorie",
        "la recherche, avec et sans résultat", "la fiche d'un produit", "la fiche d'une carte cadeau",
        "le panier vide et rempli", "la commande, avec des erreurs de saisie", "la confirmation de commande",
        "la connexion", "l'inscription", "le compte client", "le détail d'une commande", "le suivi de commande",
        "la page « introuvable »", "cette déclaration",
    ],
}


def accessibility_statement_body():
    audit = ACCESSIBILITY_AUDIT
    pages = "".join(f"<li>{page}</li>" for page in audit["pages"])
    return [
        ("heading", "État de conformité"),
        ("paragraph", "<p>Ce site est <b>partiellement conforme</b> avec le référentiel général d'amélioration de "
                      "l'accessibilité (RGAA), version 4.1, et les règles internationales WCAG 2.2 (niveaux A et AA), "
                      "en raison des non-conformités et des limites énumérées ci-dessous.</p>"),
        ("heading", "Résultats des tests"),
        ("paragraph", f"<p>Un audit automatique a été réalisé le {audit['date_text']} avec l'outil {audit['tool']} "
                      "(règles WCAG 2.0, 2.1 et 2.2, niveaux A et AA) : aucune erreur n'a été relevée sur les pages "
                      "vérifiées. Le parcours d'achat a aussi été testé au clavier seul, sur un écran de téléphone "
                      "(390 × 844 et 320 pixels de large) et avec un texte agrandi à 200 %.</p>"
                      f"<p>Pages vérifiées :</p><ul>{pages}</ul>"),
        ("heading", "Contenus non accessibles"),
        ("paragraph", "<p>Non-conformités et limites connues :</p><ul>"
                      "<li>Un outil automatique ne vérifie qu'une partie des 106 critères du RGAA : aucun audit "
                      "manuel complet n'a encore été réalisé. L'association le fera faire et publiera son taux de "
                      "conformité sur cette page.</li>"
                      "<li>Les textes, photos et descriptions publiés par les commerçants ne sont pas vérifiés un par "
                      "un : une photo peut manquer de description.</li>"
                      "<li>Les documents PDF (cartes cadeaux) ne sont pas balisés pour les lecteurs d'écran ; leurs "
                      "informations figurent aussi dans l'e-mail envoyé.</li>"
                      "<li>L'espace des commerçants et de l'association (administration) n'a pas été audité.</li>"
                      "</ul>"
                      "<p>Contenus non soumis à l'obligation d'accessibilité : la page de paiement en ligne du "
                      "prestataire bancaire et les cartes d'OpenStreetMap, qui sont des services de tiers.</p>"),
        ("heading", "Établissement de cette déclaration"),
        ("paragraph", f"<p>Cette déclaration a été établie le {audit['date_text']}.</p>"
                      "<p>Technologies utilisées : HTML5, CSS, JavaScript (facultatif : le site fonctionne sans).</p>"
                      "<p>Environnement de test : navigateur Chromium, sur téléphone et sur ordinateur, clavier seul ; "
                      f"outil : {audit['tool']}.</p>"),
    ]


def add_accessibility_statement(home):
    """« Déclaration d'accessibilité », published; the footer of every page links to it."""
    page = StandardPage.objects.child_of(home).filter(slug=ACCESSIBILITY_SLUG).first()
    if page is None:
        page = home.add_child(instance=StandardPage(
            title="Déclaration d'accessibilité", slug=ACCESSIBILITY_SLUG,
            introduction="L'association s'engage à rendre son site accessible à tous, conformément à l'article 47 "
                         "de la loi n° 2005-102 du 11 février 2005. Cette déclaration s'applique à tout ce site.",
            body=accessibility_statement_body()))
    return page


def add_shop_directory(home, introduction=""):
    """The town's directory (/commerces/): each town has its own, under its home page."""
    return ShopIndexPage.objects.child_of(home).first() or home.add_child(instance=ShopIndexPage(
        title="Les commerces", slug="commerces", introduction=introduction))


def add_news_index(home, introduction=""):
    return NewsIndexPage.objects.child_of(home).first() or home.add_child(instance=NewsIndexPage(
        title="Actualités", slug="actualites", introduction=introduction))


def ensure_site_settings(site):
    """A row of every Wagtail site setting for the town (`site`), the plugins' too
    (deliveries, gift cards, payouts…), with their defaults: each appears under
    « Paramètres » for the town, to be filled in by its association."""
    from wagtail.contrib.settings.registry import registry

    for model in registry:
        model.for_site(site)


def add_legal_pages(home):
    """Mentions légales, CGV and privacy policy, published with their default texts (legal_texts.py,
    filled from the town's settings when shown); and the accessibility statement. A page still
    holding the old « à compléter » checklist gets the default text as a new revision."""
    pages = []
    for title, slug, introduction, body in LEGAL_PAGES:
        page = StandardPage.objects.child_of(home).filter(slug=slug).first()
        if page is None:
            page = home.add_child(instance=StandardPage(title=title, slug=slug, introduction=introduction, body=body))
            page.save_revision().publish()  # a revision from the start: the CGV's version (townmarket.legal)
        elif page.specific.introduction == OLD_CHECKLIST_INTRODUCTION:
            page = page.specific
            page.title, page.introduction, page.body = title, introduction, body
            page.save_revision().publish()
        pages.append(page)
    pages.append(add_accessibility_statement(home))
    return pages


@transaction.atomic
def ensure_shop_kinds():
    """The usual kinds of town shop (the association edits the list: Snippets → Types de
    commerce); `is_food` drives food delivery days."""
    kinds = {}
    for slug, (name, is_food) in KINDS.items():
        kinds[slug], _ = ShopKind.objects.get_or_create(slug=slugify(slug), defaults={"name": name, "is_food": is_food})
    return kinds
