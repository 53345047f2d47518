"""The pages every town has under its home page, and the kinds of shop merchants pick
from when they apply: built by `manage.py new_town` (a real town) and
`manage.py load_demo_town` (the demo)."""
from django.db import transaction
from django.utils.text import slugify

from shops_pages.demo.catalogue_data import KINDS
from shops_pages.models import NewsIndexPage, ShopIndexPage, ShopKind, StandardPage

# (title, slug, what the association must write there)
LEGAL_PAGES = [
    ("Mentions légales", "mentions-legales", [
        "Éditeur du site : le nom de l'association, son adresse, son numéro RNA ou SIRET, son téléphone et son "
        "adresse e-mail.",
        "Directeur ou directrice de la publication : son nom et sa qualité (par exemple la présidente de "
        "l'association).",
        "Hébergeur : le nom, l'adresse et le téléphone de la société qui héberge le site.",
    ]),
    ("Conditions générales de vente", "conditions-generales-de-vente", [
        "Qui vend : chaque commerçant vend ses propres articles ; l'association met la place de marché à "
        "disposition. Dites-le, avec le rôle de chacun.",
        "Commande, prix TTC, paiement (au retrait, par carte en ligne ou carte cadeau), retrait en boutique, "
        "livraison et ses frais.",
        "Droit de rétractation de 14 jours (et ses exceptions : denrées périssables, prestations datées), "
        "réclamations, médiateur de la consommation.",
    ]),
    ("Politique de confidentialité", "confidentialite", [
        "Responsable du traitement : l'association (nom, adresse, contact).",
        "Données recueillies (nom, e-mail, téléphone, adresse de livraison), pourquoi (préparer et remettre les "
        "commandes), qui les reçoit (le commerçant concerné, les bénévoles des tournées), combien de temps elles "
        "sont gardées.",
        "Droits des personnes (accès, rectification, effacement, opposition) et comment les exercer ; cookies "
        "utilisés (session, panier, langue).",
    ]),
]
TO_FILL = "À compléter par l'association avant l'ouverture du site : cette page doit indiquer :"


def add_shop_directory(home, introduction=""):
    return ShopIndexPage.objects.first() or home.add_child(instance=ShopIndexPage(
        title="Les commerces", slug="commerces", introduction=introduction))


def add_news_index(home, introduction=""):
    return NewsIndexPage.objects.first() or home.add_child(instance=NewsIndexPage(
        title="Actualités", slug="actualites", introduction=introduction))


def add_legal_pages(home):
    """Mentions légales, CGV and privacy policy: published, each saying what it must hold."""
    pages = []
    for title, slug, items in LEGAL_PAGES:
        page = StandardPage.objects.child_of(home).filter(slug=slug).first()
        if page is None:
            checklist = "".join(f"<li>{item}</li>" for item in items)
            page = home.add_child(instance=StandardPage(
                title=title, slug=slug, introduction=TO_FILL,
                body=[("paragraph", f"<ul>{checklist}</ul>")]))
        pages.append(page)
    return pages


@transaction.atomic
def ensure_shop_kinds():
    """The usual kinds of town shop (the association edits the list: Snippets → Types de
    commerce); `is_food` drives food delivery days."""
    kinds = {}
    for slug, (name, is_food) in KINDS.items():
        kinds[slug], _ = ShopKind.objects.get_or_create(slug=slugify(slug), defaults={"name": name, "is_food": is_food})
    return kinds
