"""Start a real town on an empty, migrated database, with no demo data:

    manage.py new_town --town "Le marché d'Auxonne" --association "Union des commerçants d'Auxonne" \\
        --address "11 rue de l'Hôtel de Ville, 21130 Auxonne" --phone "03 80 31 00 00" \\
        --email contact@marche-auxonne.fr --domain https://marche.auxonne.fr \\
        --admin-email maire@marche-auxonne.fr        # password: NEW_TOWN_ADMIN_PASSWORD or asked

What is missing is asked for at a terminal; without one the command stops and names the
options. It creates, in one transaction: the Wagtail Site for the domain, the home page,
the shop directory, the news, the legal pages' skeleton, the town's identity
(TownSettings), the usual kinds of shop, the association's roles and a superuser.
It refuses to run twice."""
import getpass
import os
import sys
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.sites.models import Site as DjangoSite
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from phonenumber_field.phonenumber import to_python as to_phone_number
from wagtail.models import Collection, Locale, Page, Site

from backoffice import roles
from shops_pages import skeleton
from shops_pages.models import HomePage
from townmarket.models import TownSettings

PASSWORD_ENV = "NEW_TOWN_ADMIN_PASSWORD"
# (option, label asked at the terminal)
QUESTIONS = [
    ("town", "Nom du marché (affiché sur chaque page, par exemple « Le marché d'Auxonne »)"),
    ("association", "Nom de l'association"),
    ("address", "Adresse postale de l'association"),
    ("phone", "Téléphone de l'association"),
    ("email", "E-mail de contact de l'association"),
    ("domain", "Adresse publique du site (par exemple https://marche.example.fr)"),
    ("admin_email", "E-mail de l'administrateur"),
]


def flag(option):
    return "--" + option.replace("_", "-")


class Refused(Exception):
    """One option's value is not acceptable: a French reason."""


class Command(BaseCommand):
    help = ("Démarre une vraie ville sur une base vide (sans données de démonstration) : site, pages, "
            "identité du marché, rôles et compte administrateur.")
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("--town", help="Nom du marché, affiché sur chaque page.")
        parser.add_argument("--association", help="Nom de l'association des commerçants.")
        parser.add_argument("--address", help="Adresse postale de l'association.")
        parser.add_argument("--phone", help="Téléphone de l'association.")
        parser.add_argument("--email", help="E-mail de contact de l'association.")
        parser.add_argument("--domain", help="Adresse publique, avec http:// ou https:// (https://marche.example.fr).")
        parser.add_argument("--admin-email", help="E-mail de l'administrateur.")
        parser.add_argument("--admin-username", default="admin", help="Identifiant de l'administrateur (admin).")
        parser.add_argument("--admin-password",
                            help=f"Mot de passe de l'administrateur (ou la variable d'environnement {PASSWORD_ENV}).")

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            self.stdin = options.get("stdin") or sys.stdin
            self.interactive = hasattr(self.stdin, "isatty") and self.stdin.isatty()
            if not options.get("admin_password") and os.environ.get(PASSWORD_ENV):
                options["admin_password"] = os.environ[PASSWORD_ENV]
            refuse_a_second_town()
            values = self.gather(options)
            self.create(values)
        self.stdout.write(self.style.SUCCESS(
            f"{values['town']} est prêt : {values['domain']}/ (administration : {values['domain']}/admin/, "
            f"identifiant « {values['admin_username']} »). Complétez les mentions légales, les CGV et la "
            f"politique de confidentialité avant d'ouvrir le site."))

    # -- input ----------------------------------------------------------------------
    def gather(self, options):
        """Every value checked before anything is written; asked at a terminal, else named."""
        values, missing = {"admin_username": (options.get("admin_username") or "admin").strip()}, []
        User = get_user_model()
        try:
            User._meta.get_field(User.USERNAME_FIELD).clean(values["admin_username"], None)
        except ValidationError as error:
            raise CommandError("--admin-username : " + " ".join(error.messages)) from None
        for option, label in [*QUESTIONS, ("admin_password", "Mot de passe de l'administrateur")]:
            value = options.get(option)
            if value is None and not self.interactive:
                missing.append(option)
                continue
            while True:
                if value is None:
                    value = self.ask(option, label)
                try:
                    values[option] = clean(option, value, values)
                    break
                except Refused as reason:
                    if not self.interactive or options.get(option) is not None:
                        raise CommandError(str(reason))
                    self.stderr.write(str(reason))
                    value = None
        if missing:
            names = ", ".join(flag(option) for option in missing)
            raise CommandError(
                f"Options manquantes : {names} (pas de terminal pour les demander). Le mot de passe peut aussi "
                f"venir de la variable d'environnement {PASSWORD_ENV}." if "admin_password" in missing
                else f"Options manquantes : {names} (pas de terminal pour les demander).")
        return values

    def ask(self, option, label):
        if option == "admin_password":
            first, second = self.secret(f"{label} : "), self.secret("Le même, encore une fois : ")
            if first != second:
                self.stderr.write("Les deux mots de passe diffèrent ; recommencez.")
                return self.ask(option, label)
            return first
        self.stdout.write(f"{label} : ", ending="")
        self.stdout.flush()
        answer = self.stdin.readline()
        if not answer:
            raise CommandError(f"Pas de réponse pour {flag(option)}.")
        return answer.rstrip("\n")

    def secret(self, prompt):
        if self.stdin is sys.stdin:
            return getpass.getpass(prompt)
        self.stdout.write(prompt, ending="")
        return self.stdin.readline().rstrip("\n")

    # -- the town -------------------------------------------------------------------
    @transaction.atomic
    def create(self, values):
        refuse_a_second_town()
        Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        if not Collection.get_first_root_node():
            Collection.add_root(name="Root")
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        home = root.add_child(instance=HomePage(
            title=values["town"], slug="accueil",
            introduction="Tous les commerces de la ville, un seul panier. Commandez en ligne, retirez en boutique."))
        # Wagtail's welcome page (and the localhost Site on it) give way to the town.
        for page in root.get_children().exclude(pk=home.pk):
            if page.specific_class is Page and page.numchild == 0:
                page.delete()
        hostname, port = values["domain_host"]
        others_default = Site.objects.filter(is_default_site=True).exclude(hostname=hostname, port=port).exists()
        site, _ = Site.objects.update_or_create(hostname=hostname, port=port, defaults={
            "root_page": home, "site_name": values["town"], "is_default_site": not others_default})
        default_port = {"https": 443, "http": 80}[values["domain_scheme"]]
        DjangoSite.objects.update_or_create(pk=settings.SITE_ID, defaults={
            "domain": hostname if port == default_port else f"{hostname}:{port}", "name": values["town"]})
        skeleton.add_shop_directory(home, "Tous les commerces de la ville qui vendent en ligne.")
        skeleton.add_news_index(home, "Les nouvelles de l'association des commerçants.")
        skeleton.add_legal_pages(home)
        skeleton.ensure_shop_kinds()
        TownSettings.objects.update_or_create(site=site, defaults={
            "name": values["town"], "association_name": values["association"],
            "association_address": values["address"], "phone": values["phone"], "email": values["email"],
            "email_sender_name": ""})  # empty: the town's name, even once renamed
        roles.ensure_roles()
        get_user_model().objects.create_superuser(values["admin_username"], values["admin_email"],
                                                  values["admin_password"])
        return site


def refuse_a_second_town():
    home = HomePage.objects.first()
    if home is not None:
        site = Site.objects.filter(root_page=home).first()
        where = f" (site {site.hostname}:{site.port})" if site else ""
        raise CommandError(
            f"Une ville existe déjà : sa page d'accueil « {home.title} »{where}. new_town ne démarre une ville "
            f"que sur une base vide ; rien n'a été modifié.")


def clean(option, value, values):
    """The value of `option`, trimmed and checked; Refused with a French reason naming it."""
    value = (value or "") if option == "admin_password" else (value or "").strip()  # a password as typed
    name = flag(option)
    if not value.strip():
        raise Refused(f"{name} : ne peut pas être vide.")
    if option in {"town", "association"} and len(value) > 120:
        raise Refused(f"{name} : 120 caractères au plus.")
    if option == "address" and len(value) > 255:
        raise Refused(f"{name} : 255 caractères au plus.")
    if option in {"email", "admin_email"}:
        try:
            validate_email(value)
        except ValidationError:
            raise Refused(f"{name} : « {value} » n'est pas une adresse e-mail valide.") from None
    if option == "phone":
        if not to_phone_number(value, region="FR").is_valid():
            raise Refused(f"{name} : « {value} » n'est pas un numéro de téléphone valide (par exemple 03 80 31 00 00).")
    if option == "domain":
        parts = urlsplit(value)
        try:
            port = parts.port
        except ValueError:
            port = -1
        if parts.scheme not in {"http", "https"} or not parts.hostname or port == -1 or parts.path not in {"", "/"} \
                or parts.query or parts.fragment or parts.username:
            raise Refused(f"{name} : « {value} » n'est pas une adresse de site ; indiquez-la avec http:// ou "
                          f"https://, sans chemin, par exemple https://marche.example.fr.")
        values["domain_scheme"] = parts.scheme
        values["domain_host"] = (parts.hostname, port or {"https": 443, "http": 80}[parts.scheme])
        value = f"{parts.scheme}://{parts.netloc}"
    if option == "admin_email" or option == "admin_password":
        User = get_user_model()
        username = values["admin_username"]
        if option == "admin_email" and User.objects.filter(Q(username=username) | Q(email__iexact=value)).exists():
            raise Refused(f"{name} : un compte « {username} » ou avec l'adresse {value} existe déjà.")
        if option == "admin_password":
            try:
                validate_password(value, User(username=username, email=values.get("admin_email", "")))
            except ValidationError as error:
                raise Refused(f"{name} : " + " ".join(error.messages)) from None
    return value
