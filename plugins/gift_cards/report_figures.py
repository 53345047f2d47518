"""The gift-card lines of the association's report for partners (REPORT_FIGURES):
cards sold and money spent with cards over the period; amounts, never who."""
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from backoffice.periods import bounds
from townmarket import extensions

from .models import CENT, ZERO, GiftCard, LedgerEntry
from .reports import SPENDING


@extensions.register(extensions.REPORT_FIGURES)
def gift_card_figures(start, end, partners):
    since, until = bounds(start, end)
    # A shop's cards and vouchers for the shops reported on; the card of their towns (no shop) too.
    towns = {partner.town_id for partner in partners}
    sold = (GiftCard.objects.filter(created_at__gte=since, created_at__lt=until)
            .filter(Q(partner__in=partners) | Q(partner__isnull=True, town__in=towns))
            .aggregate(count=Count("id"), total=Sum("initial_amount")))
    # Spending entries are negative; a refund (order cancelled) gives money back.
    spent = (LedgerEntry.objects.filter(kind__in=SPENDING, created_at__gte=since, created_at__lt=until,
                                        partner__in=partners).aggregate(total=Sum("amount")))
    return [
        extensions.ReportFigure(_("Cartes cadeaux vendues"), sold["count"]),
        extensions.ReportFigure(_("Cartes cadeaux vendues (montant)"), (sold["total"] or ZERO).quantize(CENT)),
        extensions.ReportFigure(_("Dépensé avec des cartes cadeaux"), (-(spent["total"] or ZERO)).quantize(CENT)),
    ]
