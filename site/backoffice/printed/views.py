"""« Imprimés »: the flyer (association staff) and the window posters (staff: any
shop's; a merchant: their own shop's only, 404 for another's)."""
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy

from backoffice import roles
from backoffice.views import BackOfficeView

from .documents import FORMATS, live_shops, render_flyer, render_poster


def may_print_flyer(user):
    """The flyer speaks for the association: its staff (the town's identity)."""
    return user.has_perm(roles.TOWN_SETTINGS)


def may_print(user):
    return may_print_flyer(user) or roles.manages_a_shop(user)


def pdf_response(content, filename):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


class PrintView(BackOfficeView):
    template_name = "backoffice/printed/index.html"
    page_title = gettext_lazy("Imprimés")
    header_icon = "doc-full"

    def allowed(self, user):
        return may_print(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(flyer=may_print_flyer(self.request.user), formats=list(FORMATS),
                       shops=live_shops().filter(partner__in=self.partners))
        return context


class FlyerView(BackOfficeView):
    def allowed(self, user):
        return may_print_flyer(user)

    def get(self, request):
        size = request.GET.get("format") or "A4"
        if size not in FORMATS:
            raise Http404
        return pdf_response(render_flyer(size, request), f"depliant-{size}.pdf")


class PosterView(BackOfficeView):
    def allowed(self, user):
        return may_print(user)

    def get(self, request, pk):
        shop = get_object_or_404(live_shops(), pk=pk, partner__in=self.partners)
        return pdf_response(render_poster(shop, request), f"affiche-{shop.slug}.pdf")
