"""One basket, several shops: the basket and the checkout show lines grouped by shop."""
from dataclasses import dataclass, field
from decimal import Decimal

from oscar.core.loading import get_model


@dataclass
class ShopGroup:
    partner: object
    lines: list = field(default_factory=list)
    forms: list = field(default_factory=list)
    options: list = field(default_factory=list)

    @property
    def subtotal(self):
        return sum((line.line_price_incl_tax_incl_discounts for line in self.lines), Decimal("0.00"))

    @property
    def field_name(self):
        return f"fulfilment_{self.partner.pk}"


def group_lines_by_shop(lines, forms=None):
    """Group basket lines (and optionally their formset forms) by partner, in shop
    name order, fetching every partner and shop page in one query."""
    Partner = get_model("partner", "Partner")
    lines = list(lines)
    partner_ids = {line.stockrecord.partner_id for line in lines if line.stockrecord_id}
    partners = Partner.objects.select_related("shop_page").in_bulk(partner_ids)
    groups = {}
    forms_by_line = {form.instance.pk: form for form in (forms or [])}
    for line in lines:
        partner = partners.get(line.stockrecord.partner_id) if line.stockrecord_id else None
        if partner is None:
            continue
        group = groups.setdefault(partner.pk, ShopGroup(partner=partner))
        group.lines.append(line)
        if line.pk in forms_by_line:
            group.forms.append(forms_by_line[line.pk])
    return sorted(groups.values(), key=lambda g: g.partner.name.lower())
