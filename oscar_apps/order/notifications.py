"""E-mails about orders, beyond Oscar's own customer confirmation."""
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from .parts import shop_parts

logger = logging.getLogger(__name__)


def shop_recipients(partner):
    shop_page = getattr(partner, "shop_page", None)
    emails = [shop_page.email] if shop_page and shop_page.email else []
    emails += [user.email for user in partner.users.all() if user.email]
    return sorted(set(emails))


def notify_shops(order):
    """E-mail each shop of the order with only its own lines and the customer's
    name and phone, so the merchant can call back."""
    for part in shop_parts(order):
        shop_order = part.shop_order
        recipients = shop_recipients(shop_order.partner)
        if not recipients:
            logger.warning("No e-mail address for shop %s; order %s not notified", shop_order.partner, order.number)
            continue
        context = {
            "order": order,
            "shop_order": shop_order,
            "lines": part.lines,
            "site_url": settings.WAGTAILADMIN_BASE_URL,
        }
        subject = render_to_string("emails/shop_new_order_subject.txt", context).strip()
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("emails/shop_new_order_body.txt", context),
            to=recipients,
        )
        try:
            message.send()
        except Exception:  # the order is placed: a mail server outage must not turn it into an error page
            logger.exception("Could not e-mail shop %s about order %s", shop_order.partner, order.number)


def notify_customer_of_status(shop_order):
    """Tell the customer their purchases at one shop are ready, or cancelled."""
    order = shop_order.order
    if not order.email:
        return
    lines = list(order.lines.filter(partner_id=shop_order.partner_id).order_by("pk"))
    context = {"order": order, "shop_order": shop_order, "lines": lines, "shop_page": getattr(shop_order.partner, "shop_page", None)}
    template = f"emails/shop_order_{shop_order.status}"
    message = EmailMultiAlternatives(
        subject=render_to_string(f"{template}_subject.txt", context).strip(),
        body=render_to_string(f"{template}_body.txt", context),
        to=[order.email],
        reply_to=shop_recipients(shop_order.partner)[:1],
    )
    try:
        message.send()
    except Exception:
        logger.exception("Could not e-mail the customer of %s about status %s", shop_order, shop_order.status)
