"""The demo's second town, Saint-Jean-de-Losne (issue 20: one install, several towns): a
small market of 6 shops on its own host name, `saint-jean.localhost`, beside
Val-sur-Ouche (catalogue_data). Its own colour, association and news; the same
categories and kinds of shop as the first town (categories are shared, products never).

The same shape as catalogue_data: TOWN, CENTRE, SHOPS (each shop's slug unique on the
whole install: it is its Oscar Partner's code), NEWS; plus what the first town takes
from townmarket.models.DEMO_TOWN and the loader's defaults."""
from decimal import Decimal

from .catalogue_data import VAT_FOOD, VAT_STANDARD

HOSTNAME = "saint-jean.localhost"  # browsers (and Chromium) resolve *.localhost to 127.0.0.1
HOME = {"title": "Le marché de Saint-Jean-de-Losne", "slug": "saint-jean-de-losne",
        "introduction": "Les commerces du port, un seul panier. Commandez en ligne, retirez en boutique."}
DIRECTORY = "Boulangerie, fromagerie, caviste… les commerces du port qui vendent en ligne."
TOWN = {"city": "Saint-Jean-de-Losne", "postcode": "21170"}
CENTRE = (Decimal("47.102700"), Decimal("5.263500"))
SIRET_NUMBERS = 100  # its shops' fictitious SIRETs follow the first town's (demo.legal.demo_siret)

SETTINGS = {  # TownSettings (Paramètres → Identité du marché)
    "name": "Le marché de Saint-Jean-de-Losne",
    "association_name": "Les commerçants du port de Saint-Jean-de-Losne",
    "association_address": "Mairie, 2 rue de la Liberté, 21170 Saint-Jean-de-Losne",
    "phone": "03 80 29 00 00",
    "email": "contact-saint-jean@example.org",
    "primary_colour": "#1d4e89",  # river blue, 8,6:1 with white text
    "email_sender_name": "",
    "publication_director": "Lucie Perret, présidente de l'association",
    "registration_number": "RNA W212000001",
    "host_name": "Hébergement Exemple SAS",
    "host_address": "10 rue de l'Exemple, 21000 Dijon",
    "host_phone": "03 80 00 00 01",
    "mediator_name": "Médiateur de la consommation (exemple)",
    "mediator_website": "https://mediateur.example.org",
}

# (username, email, first, last, role): its association's staff, for its town only
ACCOUNTS = [("lucie", "lucie@example.org", "Lucie", "Perret", "staff")]

SHOPS = [
    {"slug": "boulangerie-du-port", "name": "Boulangerie du Port", "kind": "boulangerie", "owner": "Yann Lefèvre",
     "street": "3 quai National", "featured": True, "vat": VAT_FOOD,
     "items": [("Pains et viennoiseries", [("Pain de la batellerie", "3.60"), ("Baguette", "1.20"),
                                            ("Pain au chocolat", "1.30")]),
               ("Pâtisseries", [("Tarte aux poires", "16.00")])],
     "variants": [("", "1"), (" (lot de 4)", "3.6")]},
    {"slug": "fromagerie-des-mariniers", "name": "Fromagerie des Mariniers", "kind": "fromagerie",
     "owner": "Agathe Simon", "street": "8 rue de la Liberté", "featured": True, "vat": VAT_FOOD,
     "items": [("Fromages et crèmerie", [("Époisses fermier", "10.20"), ("Comté 24 mois", "26.00"),
                                          ("Crème de Bresse", "4.50"), ("Fromage blanc", "3.20")])],
     "variants": [("", "1"), (" (demi)", "0.55")]},
    {"slug": "cave-de-la-saone", "name": "Cave de la Saône", "kind": "caviste", "owner": "Pierre Vasseur",
     "street": "1 place du Port", "featured": True, "vat": VAT_STANDARD,
     "items": [("Vins et spiritueux", [("Mâcon-Villages", "11.50"), ("Côte-de-Beaune", "24.00"),
                                        ("Crémant rosé", "13.50")]),
               ("Bières et cidres", [("Bière de l'écluse", "3.90")])],
     "variants": [("", "1"), (" magnum", "2.1")]},
    {"slug": "epicerie-de-l-ecluse", "name": "Épicerie de l'Écluse", "kind": "epicerie", "owner": "Samir Haddou",
     "street": "12 rue du Canal", "vat": VAT_FOOD,
     "items": [("Épicerie fine", [("Moutarde au cassis", "4.20"), ("Miel d'acacia", "8.90"),
                                   ("Escargots au beurre", "9.80"), ("Anis de Flavigny", "3.50")])],
     "variants": [("", "1"), (" bio", "1.25")]},
    {"slug": "fleurs-du-canal", "name": "Fleurs du Canal", "kind": "fleuriste", "owner": "Chloé Marchand",
     "street": "5 rue du Canal", "vat": "10.0",
     "items": [("Fleurs et plantes", [("Bouquet du marché", "22.00"), ("Lavande en pot", "12.00"),
                                       ("Composition de saison", "30.00")])],
     "variants": [("", "1"), (" grand modèle", "1.5")]},
    {"slug": "librairie-du-halage", "name": "Librairie du Halage", "kind": "librairie", "owner": "Martin Colas",
     "street": "20 rue de la Liberté", "vat": "5.5",
     "items": [("Livres", [("Carnet de croisière fluviale", "19.90"), ("Guide du canal de Bourgogne", "16.50"),
                           ("Roman de la batellerie", "9.20"), ("Album jeunesse du port", "12.90")])],
     "variants": [("", "1"), (" (poche)", "0.5")]},
]

NEWS = [
    ("Saint-Jean-de-Losne ouvre son marché en ligne",
     "Les commerçants du port vendent désormais en ligne : commandez, retirez en boutique.",
     "Six commerces de Saint-Jean-de-Losne présentent déjà leur vitrine et leurs produits ; un seul panier suffit "
     "pour acheter chez plusieurs d'entre eux."),
    ("Les commerces du port pendant la saison fluviale",
     "Plaisanciers de passage : commandez avant d'accoster, vos courses vous attendent au quai.",
     "D'avril à octobre, la boulangerie et l'épicerie préparent les commandes des bateaux dès 8 heures."),
]
