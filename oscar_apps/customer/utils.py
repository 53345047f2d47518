from django.conf import settings
from django.contrib.sites.requests import RequestSite
from oscar.apps.customer.utils import *  # noqa: F401,F403
from oscar.apps.customer.utils import CustomerDispatcher as CoreCustomerDispatcher
from oscar.core.loading import get_class

Dispatcher = get_class("communication.utils", "Dispatcher")


class RequestHostDispatcher(Dispatcher):
    """An e-mail sent while answering a request links to the host and scheme that request
    came to, not to the django.contrib.sites Site's domain (example.com in a new install):
    `site` is the request's host, a relative `reset_url` is made absolute."""

    def get_base_context(self, **kwargs):
        context = super().get_base_context(**kwargs)
        request = kwargs.get("request")
        if request is not None:
            context["site"] = RequestSite(request)
            context["site"].name = settings.OSCAR_SHOP_NAME
            if str(context.get("reset_url", "")).startswith("/"):
                context["reset_url"] = request.build_absolute_uri(context["reset_url"])
        return context


class CustomerDispatcher(CoreCustomerDispatcher):
    """Password reset, password changed, e-mail changed: see RequestHostDispatcher."""

    def __init__(self, logger=None, mail_connection=None):
        self.dispatcher = RequestHostDispatcher(logger=logger, mail_connection=mail_connection)
