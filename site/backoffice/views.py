"""What every back-office view shares: the Wagtail admin layout and the permission
check, made before anything else runs."""
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from townmarket.text import is_row_id

from . import roles

PER_PAGE = 25


class BackOfficeView(WagtailAdminTemplateMixin, TemplateView):
    """A back-office page. Subclasses say who may open it with `allowed(user)`."""

    header_icon = ""
    index_url_name = None
    index_label = None

    def allowed(self, user):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            raise PermissionDenied
        self.partners = roles.managed_partners(request.user)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def several_shops(self):
        """Whether lists show a shop column and filter (association, volunteers);
        templates ask `view.several_shops`, so pages that do not ask run no query."""
        return self.partners.count() > 1

    def chosen_shop(self, wanted):
        """The shop a settings page is about (`?shop=`/`shop` field) among the user's
        own, else their first; a 404 for any other or none."""
        if wanted and not is_row_id(wanted):
            raise Http404
        partners = self.partners.order_by("name")
        partner = get_object_or_404(partners, pk=wanted) if wanted else partners.first()
        if partner is None:
            raise Http404
        return partner

    def get_breadcrumbs_items(self):
        items = list(self.breadcrumbs_items)
        if self.index_url_name:
            items.append({"url": reverse(self.index_url_name), "label": self.index_label})
        return items + [{"url": "", "label": self.get_page_title()}]

    def paginate(self, queryset, per_page=PER_PAGE):
        paginator = Paginator(queryset, per_page)
        number = self.request.GET.get("p") or 1
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise Http404
        if number < 1 or (number > paginator.num_pages and number != 1):
            raise Http404
        page = paginator.page(number)
        return page, list(paginator.get_elided_page_range(number))


class ProductsPermission:
    def allowed(self, user):
        return roles.can_manage_products(user)


class OrdersPermission:
    def allowed(self, user):
        return roles.can_see_orders(user)
