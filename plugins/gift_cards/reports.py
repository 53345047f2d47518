"""What the association reads: the money still on live cards (a debt to their
holders), and for a period what town cards paid in each shop (the association
owes it to the shop, having been paid when the card was sold)."""
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from oscar.core.loading import get_model

from backoffice.periods import bounds

from .models import CENT, ZERO, GiftCard, Kind, LedgerEntry

Entry = LedgerEntry.Kind
Partner = get_model("partner", "Partner")
SPENDING = (Entry.SPENT_ONLINE, Entry.SPENT_IN_STORE, Entry.REFUNDED)


def outstanding(today=None, towns=None):
    """{kind: (cards with money left, total left)} for cards not yet expired (of `towns`,
    Wagtail Sites: every town's if None), and the total."""
    today = today or timezone.localdate()
    cards = GiftCard.objects.live(today)
    if towns is not None:
        cards = cards.filter(town__in=towns)
    rows = (cards.values("pk", "kind").annotate(left=Sum("entries__amount"))
            .filter(left__gt=0).values_list("kind", "left"))  # one row per card
    by_kind = {}
    for kind, left in rows:
        count, total = by_kind.get(kind, (0, ZERO))
        by_kind[kind] = (count + 1, total + left)
    return [(Kind(kind).label, count, total.quantize(CENT)) for kind, (count, total) in sorted(by_kind.items())]


@dataclass
class TownCardDue:
    partner: object
    online: Decimal = ZERO
    in_store: Decimal = ZERO
    given_back: Decimal = ZERO
    uses: int = 0

    @property
    def due(self):
        return self.online + self.in_store - self.given_back


def town_card_dues(start, end, towns=None):
    """[TownCardDue] per shop, by name: town-card money spent there in [start, end] (the
    cards of `towns`, Wagtail Sites: every town's if None)."""
    since, until = bounds(start, end)
    entries = LedgerEntry.objects.filter(card__kind=Kind.TOWN, kind__in=SPENDING, created_at__gte=since,
                                         created_at__lt=until, partner__isnull=False)
    if towns is not None:
        entries = entries.filter(card__town__in=towns)
    rows = (entries
            .values("partner", "partner__name")
            .annotate(online=Sum("amount", filter=Q(kind=Entry.SPENT_ONLINE)),
                      in_store=Sum("amount", filter=Q(kind=Entry.SPENT_IN_STORE)),
                      given_back=Sum("amount", filter=Q(kind=Entry.REFUNDED)),
                      uses=Count("id", filter=~Q(kind=Entry.REFUNDED)))
            .order_by("partner__name"))
    partners = Partner.objects.in_bulk([row["partner"] for row in rows])

    def money(value):
        return (value or ZERO).quantize(CENT)

    return [TownCardDue(partner=partners[row["partner"]], online=-money(row["online"]),
                        in_store=-money(row["in_store"]), given_back=money(row["given_back"]), uses=row["uses"])
            for row in rows]
