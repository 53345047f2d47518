"""The delivery lines of the association's report for partners (REPORT_FIGURES):
addresses delivered by the volunteers and parcels sent by post over the period."""
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from backoffice.periods import bounds
from oscar_apps.order.statuses import HIDDEN_FROM_SHOPS
from townmarket import extensions

from .checkout import POSTAL
from .models import DeliveryStop

ShopOrder = get_model("order", "ShopOrder")


@extensions.register(extensions.REPORT_FIGURES)
def delivery_figures(start, end, partners):
    delivered = DeliveryStop.objects.filter(status=DeliveryStop.Status.DELIVERED, date__gte=start, date__lte=end)
    parcels = ShopOrder.objects.filter(delivery_stops__in=delivered, partner__in=partners).distinct()
    since, until = bounds(start, end)
    postal = (ShopOrder.objects.filter(fulfilment_code=POSTAL, partner__in=partners, date_created__gte=since,
                                       date_created__lt=until)
              .exclude(status=ShopOrder.Status.CANCELLED).exclude(order__status__in=HIDDEN_FROM_SHOPS))
    return [
        extensions.ReportFigure(_("Livraisons faites par les bénévoles (adresses)"),
                                delivered.filter(parcels__partner__in=partners).distinct().count()),
        extensions.ReportFigure(_("Colis livrés par les bénévoles"), parcels.count()),
        extensions.ReportFigure(_("Colis envoyés par La Poste"), postal.count()),
    ]
