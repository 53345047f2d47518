from oscar.apps.customer.utils import *  # noqa: F401,F403
from oscar.apps.customer.utils import CustomerDispatcher as CoreCustomerDispatcher
from oscar.core.loading import get_class

from townmarket.absolute_urls import absolute_url, site_root_url
from townmarket.outbox import filed_under
from townmarket.town import sender, town

Dispatcher = get_class("communication.utils", "Dispatcher")


class PublicSite:
    """What Oscar's e-mail templates call `site`: the shop's name and the public
    address's host, from the Wagtail Site (never the request's Host header, nor the
    django.contrib.sites Site, example.com in a new install)."""

    def __init__(self, request=None, site=None):
        self.name = town(request, site=site).name
        self.domain = site_root_url(request, site=site).split("://", 1)[1]

    def __str__(self):
        return self.name


class PublicSiteDispatcher(Dispatcher):
    """A customer e-mail (password reset, password or e-mail changed) links to the
    site's public address (townmarket.absolute_urls): `site` is PublicSite, a relative
    `reset_url` is made absolute. `marketplace` is the town's identity (TownSettings), whose
    sender name is the From's."""

    identity = None

    def get_base_context(self, **kwargs):
        context = super().get_base_context(**kwargs)
        request = kwargs.get("request")
        order = kwargs.get("order")  # an order's e-mail is its town's, sent with or without a request
        site = getattr(order, "town", None)
        self.identity = context.setdefault("marketplace", town(request, site=site))
        context["site"] = PublicSite(request, site=site)
        if str(context.get("reset_url", "")).startswith("/"):
            context["reset_url"] = absolute_url(context["reset_url"], request)
        return context


    def send_email_messages(self, recipient_email, messages, from_email=None, attachments=None):
        with filed_under(getattr(self.identity, "site_id", None)):
            return super().send_email_messages(recipient_email, messages, from_email or sender(self.identity),
                                               attachments=attachments)


class CustomerDispatcher(CoreCustomerDispatcher):
    """Password reset, password changed, e-mail changed: see PublicSiteDispatcher."""

    def __init__(self, logger=None, mail_connection=None):
        self.dispatcher = PublicSiteDispatcher(logger=logger, mail_connection=mail_connection)
