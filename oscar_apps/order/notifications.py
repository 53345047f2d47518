"""E-mails about orders, beyond Oscar's own customer confirmation."""
import logging

from django.urls import reverse

from townmarket.absolute_urls import absolute_url
from townmarket.mail import send_templated
from townmarket.town import town

from .parts import shop_lines, shop_parts

logger = logging.getLogger(__name__)


def shop_recipients(partner):
    shop_page = getattr(partner, "shop_page", None)
    emails = [shop_page.email] if shop_page and shop_page.email else []
    emails += [user.email for user in partner.users.all() if user.email]
    return sorted(set(emails))


def association_recipients(site=None):
    """The association's contact (TownSettings of `site`, the order's town), told of the
    orders no shop can receive."""
    email = town(site=site).email
    return [email] if email else []


def notify_shops(order):
    """E-mail each shop of the order with only its own lines and the customer's
    name and phone, so the merchant can call back."""
    for part in shop_parts(order):
        shop_order = part.shop_order
        recipients = shop_recipients(shop_order.partner)
        for_association = not recipients
        if for_association:
            # The association's own products, or a shop without any address: its
            # contact is told instead (its dashboard lists these orders too).
            recipients = association_recipients(order.town)
        if not recipients:
            logger.error("No e-mail address for shop %s nor for the association; order %s not notified",
                         shop_order.partner, order.number)
            continue
        context = {
            "order": order,
            "shop_order": shop_order,
            "lines": part.lines,
            "for_association": for_association,
            "admin_url": absolute_url(reverse("wagtailadmin_home"), site=order.town),
            "marketplace": town(site=order.town),  # the order's town, whoever sends it
        }
        send_templated("emails/shop_new_order", context, recipients)


def notify_customer_of_status(shop_order):
    """Tell the customer their purchases at one shop are ready, or cancelled."""
    order = shop_order.order
    if not order.email:
        return
    lines = list(shop_lines(shop_order))
    context = {"order": order, "shop_order": shop_order, "lines": lines, "shop_page": getattr(shop_order.partner, "shop_page", None),
               "marketplace": town(site=order.town)}
    send_templated(f"emails/shop_order_{shop_order.status}", context, [order.email],
                   reply_to=shop_recipients(shop_order.partner)[:1])
