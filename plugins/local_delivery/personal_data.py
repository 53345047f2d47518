"""Home deliveries in a customer's data export (PERSONAL_DATA), and the purge of the
addresses of old deliveries (PURGE_PERSONAL_DATA): an order delivered by a round or by
post more than RETENTION_DELIVERY_ADDRESSES_DAYS ago loses its delivery address."""
import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from townmarket import extensions
from townmarket.money import euros

from .checkout import LOCAL, POSTAL
from .models import DeliveryStop

Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
ShopOrder = get_model("order", "ShopOrder")


@extensions.register(extensions.PERSONAL_DATA)
def delivery_section(subject):
    stops = (DeliveryStop.objects.filter(order__in=subject.orders).select_related("order")
             .prefetch_related("door_payments__shop_order__partner").order_by("date", "pk"))
    return [extensions.DataSection("livraisons", _("Livraisons à domicile"), [{
        _("Commande"): stop.order.number,
        _("Date"): stop.date.strftime("%d/%m/%Y"),
        _("Statut"): stop.get_status_display(),
        _("Paiements à la porte"): [{
            _("Commerce"): payment.shop_order.partner.name,
            _("Résultat"): payment.get_outcome_display(),
            _("Montant"): euros(payment.amount),
            _("Moyen de paiement"): payment.get_means_display(),
        } for payment in stop.door_payments.all()],
    } for stop in stops])]


def delivered_before(day):
    """Orders whose deliveries (rounds and parcels) all happened before `day`."""
    recent_stops = DeliveryStop.objects.filter(date__gte=day).values("order_id")
    delivered = ShopOrder.objects.filter(Q(fulfilment_code__startswith=LOCAL) | Q(fulfilment_code=POSTAL))
    recent_parcels = delivered.filter(order__date_placed__date__gte=day).values("order_id")
    return (Order.objects.filter(pk__in=delivered.values("order_id"))
            .exclude(pk__in=recent_stops).exclude(pk__in=recent_parcels))


@extensions.register(extensions.PURGE_PERSONAL_DATA)
def purge_delivery_addresses(now):
    days = settings.RETENTION_DELIVERY_ADDRESSES_DAYS
    orders = delivered_before((now - dt.timedelta(days=days)).date()).exclude(shipping_address=None)
    order_ids, address_ids = [], []
    for order_id, address_id in orders.values_list("pk", "shipping_address_id"):
        order_ids.append(order_id)
        address_ids.append(address_id)
    Order.objects.filter(pk__in=order_ids).update(shipping_address=None)
    count = ShippingAddress.objects.filter(pk__in=address_ids).delete()[0]
    # The checkout's copy of the address on each shop's part.
    for part in ShopOrder.objects.filter(order_id__in=order_ids, fulfilment_details__has_key="delivery_address"):
        part.fulfilment_details.pop("delivery_address")
        ShopOrder.objects.filter(pk=part.pk).update(fulfilment_details=part.fulfilment_details)
    return [_("Adresses de livraison de plus de %(days)s jours effacées : %(count)s") % {"days": days, "count": count}]
