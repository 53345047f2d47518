"""A person's data as sections (extensions.DataSection): the core's (account, addresses,
orders with their lines and shops' parts, e-mails sent) then each PERSONAL_DATA hook's
(gift cards, deliveries…); as one JSON file, or read on the account's page."""
import json

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from townmarket import extensions
from townmarket.models import OutboxMessage
from townmarket.money import euros

UserAddress = get_model("address", "UserAddress")


def when(value):
    """« 01/12/2026 14:30 » in the town's time zone; « » for no date."""
    if not value:
        return ""
    if hasattr(value, "hour"):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    return date_format(value, "SHORT_DATE_FORMAT")


def postal_address(address):
    if address is None:
        return ""
    return ", ".join(part for part in address.active_address_fields() if part)


def account_section(user):
    return extensions.DataSection("compte", _("Votre compte"), [{
        _("E-mail"): user.email,
        _("Prénom"): user.first_name,
        _("Nom"): user.last_name,
        _("Identifiant"): user.get_username(),
        _("Inscrit le"): when(user.date_joined),
        _("Dernière connexion"): when(user.last_login),
    }])


def addresses_section(user):
    return extensions.DataSection("adresses", _("Vos adresses"), [{
        _("Nom"): address.name,
        _("Adresse"): postal_address(address),
        _("Téléphone"): str(address.phone_number or ""),
        _("Instructions"): address.notes,
    } for address in UserAddress.objects.filter(user=user).select_related("country").order_by("pk")])


def order_item(order):
    return {
        _("Numéro"): order.number,
        _("Passée le"): when(order.date_placed),
        _("Statut"): order.status,
        _("Nom"): order.customer_name,
        _("E-mail"): order.email,
        _("Téléphone"): str(order.customer_phone or ""),
        _("Adresse de livraison"): postal_address(order.shipping_address),
        _("Total TTC"): euros(order.total_incl_tax),
        _("Articles"): [{
            _("Article"): line.description,
            _("Commerce"): line.partner_name,
            _("Quantité"): line.quantity,
            _("Total TTC"): euros(line.line_price_incl_tax),
        } for line in order.lines.all()],
        _("Commerces"): [{
            _("Commerce"): part.partner.name,
            _("Statut"): part.get_status_display(),
            _("Retrait ou livraison"): part.fulfilment_label,
            _("Frais"): euros(part.fulfilment_fee),
            _("Sous-total TTC"): euros(part.subtotal),
            _("Déjà réglé à la commande"): euros(part.prepaid),
        } for part in order.shop_orders.all()],
    }


def orders_section(subject):
    orders = (subject.orders.select_related("user", "shipping_address__country")
              .prefetch_related("lines__attributes", "shop_orders__partner").order_by("date_placed", "pk"))
    return extensions.DataSection("commandes", _("Vos commandes"), [order_item(order) for order in orders])


def emails_section(subject):
    if not subject.emails:
        return extensions.DataSection("e-mails", _("E-mails qui vous ont été envoyés"), [])
    to_them = Q()
    for email in subject.emails:
        to_them |= Q(recipients__icontains=email)
    messages = OutboxMessage.objects.filter(to_them).defer("payload").order_by("created_at")
    return extensions.DataSection("e-mails", _("E-mails qui vous ont été envoyés"), [{
        _("Date"): when(message.created_at),
        _("Objet"): message.subject,
        _("État"): message.get_status_display(),
    } for message in messages])


def sections(subject):
    found = []
    if subject.user is not None:
        found += [account_section(subject.user), addresses_section(subject.user)]
    found += [orders_section(subject), emails_section(subject)]
    return found + extensions.personal_data(subject)


def as_json(found):
    """The export file: {section key: {"titre", "éléments"}}, UTF-8, indented."""
    document = {_("exporté le"): when(timezone.now())}
    document.update({section.key: {_("titre"): str(section.title), _("éléments"): section.items}
                     for section in found})
    return json.dumps(document, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def as_html(value):
    """The readable form of a section's items: dicts as definition lists, lists as lists,
    everything escaped."""
    if isinstance(value, dict):
        return format_html('<dl class="personal-data">{}</dl>', format_html_join(
            "", "<dt>{}</dt><dd>{}</dd>", ((label, as_html(item)) for label, item in value.items())))
    if isinstance(value, (list, tuple)):
        if not value:
            return format_html("<p>{}</p>", _("Rien."))
        return format_html("<ol>{}</ol>", format_html_join("", "<li>{}</li>", ((as_html(item),) for item in value)))
    return format_html("{}", "" if value is None else value)
