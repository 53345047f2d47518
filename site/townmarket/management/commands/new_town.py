"""Start a real town, with no demo data: the first on an empty, migrated database, or
another one beside the towns an install already serves (one Wagtail Site each):

    manage.py new_town --town "Le marché d'Auxonne" --association "Union des commerçants d'Auxonne" \\
        --address "11 rue de l'Hôtel de Ville, 21130 Auxonne" --phone "03 80 31 00 00" \\
        --email contact@marche-auxonne.fr --domain https://marche.auxonne.fr \\
        --admin-email maire@marche-auxonne.fr        # password: NEW_TOWN_ADMIN_PASSWORD or asked

    manage.py new_town --town "Le marché de Saint-Jean-de-Losne" ... --domain https://marche.saint-jean.fr \\
        --staff-email lucie@saint-jean.fr            # password: NEW_TOWN_STAFF_PASSWORD or asked

What is missing is asked for at a terminal; without one the command stops and names the
options. It creates, in one transaction: the Wagtail Site for the domain, the home page,
the shop directory, the news, the legal pages, the town's identity (TownSettings) and its
other site settings (the plugins': their defaults), the usual kinds of shop, the town's
roles; on the first town a superuser (the platform's administrator), on a later one the
town's first association account (--staff-email; also accepted on the first town).
A hostname already served by a town is refused."""
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
from django.utils.text import slugify
from phonenumber_field.phonenumber import to_python as to_phone_number
from wagtail.models import Collection, Locale, Page, Site

from backoffice import roles
from shops_pages import skeleton
from shops_pages.models import HomePage
from townmarket.models import TownSettings

PASSWORD_ENV = "NEW_TOWN_ADMIN_PASSWORD"
STAFF_PASSWORD_ENV = "NEW_TOWN_STAFF_PASSWORD"
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
STAFF_QUESTIONS = [("staff_email", "E-mail du premier compte de l'association de la ville")]


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
        parser.add_argument("--staff-email",
                            help="E-mail du premier compte de l'association de la ville (obligatoire pour une "
                                 "ville de plus : l'administrateur de la plateforme existe déjà).")
        parser.add_argument("--staff-username", help="Identifiant de ce compte (par défaut : son e-mail).")
        parser.add_argument("--staff-password",
                            help=f"Mot de passe de ce compte (ou la variable d'environnement {STAFF_PASSWORD_ENV}).")

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            self.stdin = options.get("stdin") or sys.stdin
            self.interactive = hasattr(self.stdin, "isatty") and self.stdin.isatty()
            self.first_town = not towns().exists()
            if not self.first_town:
                refuse_an_administrator(options)
            for option, variable in (("admin_password", PASSWORD_ENV), ("staff_password", STAFF_PASSWORD_ENV)):
                if not options.get(option) and os.environ.get(variable):
                    options[option] = os.environ[variable]
            values = self.gather(options)
            self.create(values)
        account = values.get("staff_username") or values["admin_username"]
        self.stdout.write(self.style.SUCCESS(
            f"{values['town']} est prêt : {values['domain']}/ (administration : {values['domain']}/admin/, "
            f"identifiant « {account} »). Complétez les mentions légales, les CGV et la "
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
        questions = [*QUESTIONS, ("admin_password", "Mot de passe de l'administrateur")]
        if not self.first_town:  # the platform has its administrator: the town's association account instead
            questions = [question for question in questions if not question[0].startswith("admin_")]
        if not self.first_town or options.get("staff_email") is not None:
            questions += [*STAFF_QUESTIONS, ("staff_password", "Mot de passe de ce compte")]
        for option, label in questions:
            value = options.get(option)
            if value is None and not self.interactive:
                missing.append(option)
                continue
            while True:
                if value is None:
                    value = self.ask(option, label)
                try:
                    values[option] = clean(option, value, values)
                    if option == "staff_email":
                        values["staff_username"] = (options.get("staff_username") or value).strip()
                        clean_username(values["staff_username"], "--staff-username")
                    break
                except Refused as reason:
                    if not self.interactive or options.get(option) is not None:
                        raise CommandError(str(reason))
                    self.stderr.write(str(reason))
                    value = None
        if missing:
            names = ", ".join(flag(option) for option in missing)
            variables = [variable for option, variable in (("admin_password", PASSWORD_ENV),
                                                           ("staff_password", STAFF_PASSWORD_ENV)) if option in missing]
            raise CommandError(
                f"Options manquantes : {names} (pas de terminal pour les demander). Le mot de passe peut aussi "
                f"venir de la variable d'environnement {variables[0]}." if variables
                else f"Options manquantes : {names} (pas de terminal pour les demander).")
        return values

    def ask(self, option, label):
        if option in {"admin_password", "staff_password"}:
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
        first_town = not towns().exists()
        hostname, port = values["domain_host"]
        try:
            refuse_a_served_hostname(hostname)
        except Refused as reason:
            raise CommandError(str(reason)) from None
        Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        if not Collection.get_first_root_node():
            Collection.add_root(name="Root")
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        home = root.add_child(instance=HomePage(
            title=values["town"], slug="accueil" if first_town else free_slug(root, values["town"]),
            introduction="Tous les commerces de la ville, un seul panier. Commandez en ligne, retirez en boutique."))
        if first_town:
            # Wagtail's welcome page (and the localhost Site on it) give way to the town.
            for page in root.get_children().exclude(pk=home.pk):
                if page.specific_class is Page and page.numchild == 0:
                    page.delete()
        others_default = Site.objects.filter(is_default_site=True).exclude(hostname=hostname, port=port).exists()
        site, _ = Site.objects.update_or_create(hostname=hostname, port=port, defaults={
            "root_page": home, "site_name": values["town"], "is_default_site": not others_default})
        if first_town:  # django.contrib.sites' one row: the default town's
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
        skeleton.ensure_site_settings(site)  # the plugins' settings (deliveries, gift cards, payouts): defaults
        # the town's role groups (« Association », « Bénévoles »), their rights on its pages only
        groups = roles.ensure_roles() if first_town else roles.ensure_town_roles(site)
        User = get_user_model()
        if first_town:
            User.objects.create_superuser(values["admin_username"], values["admin_email"], values["admin_password"])
        if values.get("staff_email"):
            staff = User.objects.create_user(values["staff_username"], values["staff_email"], values["staff_password"])
            staff.groups.add(groups[roles.ASSOCIATION])
        return site


def towns():
    """The Sites that are towns (their root a HomePage), not Wagtail's welcome page."""
    return Site.objects.filter(root_page__in=HomePage.objects.all())


def refuse_a_served_hostname(hostname):
    """A town answers on its hostname whatever the port: a second one there is refused."""
    served = towns().filter(hostname__iexact=hostname).select_related("root_page").first()
    if served is not None:
        raise Refused(
            f"--domain : {hostname} sert déjà la ville « {served.root_page.title} » (site {served.hostname}:"
            f"{served.port}). Une ville de plus a besoin de son propre nom de domaine ; rien n'a été modifié.")


def refuse_an_administrator(options):
    """A later town: the platform has its administrator; the town gets its association's account."""
    given = [flag(option) for option in ("admin_email", "admin_password") if options.get(option) is not None]
    if given:
        raise CommandError(
            f"{', '.join(given)} : la plateforme a déjà son administrateur (une ville existe). Pour cette ville, "
            f"indiquez le premier compte de son association avec --staff-email (et --staff-password).")


def free_slug(parent, title):
    """A slug for a page under `parent` no sibling has."""
    base = slugify(title)[:200] or "ville"
    slug, number = base, 1
    while parent.get_children().filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def clean_username(username, name):
    User = get_user_model()
    try:
        User._meta.get_field(User.USERNAME_FIELD).clean(username, None)
    except ValidationError as error:
        raise Refused(f"{name} : " + " ".join(error.messages)) from None
    if User.objects.filter(username=username).exists():
        raise Refused(f"{name} : un compte « {username} » existe déjà.")


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
        refuse_a_served_hostname(parts.hostname)
        values["domain_scheme"] = parts.scheme
        values["domain_host"] = (parts.hostname, port or {"https": 443, "http": 80}[parts.scheme])
        value = f"{parts.scheme}://{parts.netloc}"
    if option == "staff_email" and get_user_model().objects.filter(email__iexact=value).exists():
        raise Refused(f"{name} : un compte avec l'adresse {value} existe déjà.")
    if option == "staff_password":
        try:
            validate_password(value, get_user_model()(username=values.get("staff_username", ""),
                                                      email=values.get("staff_email", "")))
        except ValidationError as error:
            raise Refused(f"{name} : " + " ".join(error.messages)) from None
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
