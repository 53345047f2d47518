from django.contrib import messages
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from backoffice import roles
from backoffice.views import BackOfficeView, ProductsPermission
from oscar_apps.catalogue.editing import available_stock, set_available_stock
from townmarket.db import Unaccent, strip_accents

from .forms import ProductFilterForm, ProductForm, ProductImageFormSet, QuickEditForm

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")


def products_for(user):
    """The products `user` may edit: those of the shops they manage (for a town's
    association and volunteers, every shop of their town; for a superuser, all)."""
    if user.is_superuser:
        return Product.objects.all()
    if user.has_perm(roles.ALL_SHOPS):
        return Product.objects.filter(Exists(StockRecord.objects.filter(
            product=OuterRef("pk"), partner__in=roles.managed_partners(user))))
    return Product.objects.filter(stockrecords__partner__in=roles.managed_partners(user)).distinct()


def stockrecord_of(product):
    records = list(product.stockrecords.all())
    return records[0] if records else None


class ProductListView(ProductsPermission, BackOfficeView):
    template_name = "backoffice/products/index.html"
    page_title = gettext_lazy("Produits")
    header_icon = "tag"

    def get_queryset(self, form):
        queryset = products_for(self.request.user).prefetch_related(
            Prefetch("stockrecords", queryset=StockRecord.objects.select_related("partner")),
            Prefetch("images", queryset=ProductImage.objects.order_by("display_order", "id")),
            "categories",
        )
        if not form.is_valid():
            return queryset.order_by("-date_updated", "-pk")
        data = form.cleaned_data
        if data["q"]:
            term = strip_accents(data["q"]).lower()
            queryset = queryset.alias(plain_title=Unaccent("title")).filter(
                Q(plain_title__icontains=term) | Q(stockrecords__partner_sku__iexact=data["q"]))
        if data["categorie"]:
            queryset = queryset.filter(categories=data["categorie"])
        if data["boutique"]:
            queryset = queryset.filter(stockrecords__partner=data["boutique"])
        if data["dispo"] == "en_stock":
            queryset = queryset.filter(stockrecords__num_in_stock__gt=F("stockrecords__num_allocated"))
        elif data["dispo"] == "epuise":
            queryset = queryset.filter(stockrecords__num_in_stock__lte=F("stockrecords__num_allocated"))
        elif data["dispo"] == "hors_ligne":
            queryset = queryset.filter(is_public=False)
        return queryset.order_by("-date_updated", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = ProductFilterForm(self.request.GET or None, partners=self.partners)
        page, page_range = self.paginate(self.get_queryset(form))
        rows = []
        for product in page:
            stockrecord = stockrecord_of(product)
            quick = None
            if stockrecord:
                quick = QuickEditForm(prefix=f"p{product.pk}", initial={
                    "price": stockrecord.price, "stock": available_stock(stockrecord)})
            rows.append({"product": product, "stockrecord": stockrecord, "quick": quick,
                         "image": next(iter(product.images.all()), None)})
        context.update(filter_form=form, page=page, page_range=page_range, rows=rows,
                       query_string=self.request.GET.urlencode())
        return context


class QuickEditView(ProductsPermission, BackOfficeView):
    http_method_names = ["post"]

    def post(self, request, pk):
        product = get_object_or_404(products_for(request.user), pk=pk)
        stockrecord = stockrecord_of(product)
        back = safe_next(request, reverse("backoffice_products"))
        if stockrecord is None:
            messages.error(request, _("« %(title)s » n'a pas de prix ni de stock à modifier.") % {"title": product.title})
            return HttpResponseRedirect(back)
        form = QuickEditForm(request.POST, prefix=f"p{product.pk}")
        if not form.is_valid():
            reasons = " ".join(str(error) for errors in form.errors.values() for error in errors)
            messages.error(request, _("« %(title)s » n'a pas été modifié : %(reasons)s") % {"title": product.title, "reasons": reasons})
            return HttpResponseRedirect(back)
        with transaction.atomic():
            StockRecord.objects.filter(pk=stockrecord.pk).update(price=form.cleaned_data["price"])
            set_available_stock(stockrecord, form.cleaned_data["stock"])
        messages.success(request, _("« %(title)s » : prix et stock enregistrés.") % {"title": product.title})
        return HttpResponseRedirect(back)


def safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


class ProductFormView(ProductsPermission, BackOfficeView):
    template_name = "backoffice/products/form.html"
    index_url_name = "backoffice_products"
    index_label = gettext_lazy("Produits")
    header_icon = "tag"
    product = None

    def get_forms(self):
        data = self.request.POST if self.request.method == "POST" else None
        files = self.request.FILES if self.request.method == "POST" else None
        instance = self.product or Product()
        form = ProductForm(data, files, instance=instance, partners=self.partners.order_by("name"))
        formset = ProductImageFormSet(data, files, instance=instance, prefix="images")
        return form, formset

    def get(self, request, *args, **kwargs):
        form, formset = self.get_forms()
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    def post(self, request, *args, **kwargs):
        form, formset = self.get_forms()
        if form.is_valid() and formset.is_valid():
            with transaction.atomic():
                product = form.save()
                formset.instance = product
                formset.save()
            messages.success(request, self.success_message % {"title": product.title})
            if "save_and_add" in request.POST:
                return HttpResponseRedirect(reverse("backoffice_product_add"))
            return HttpResponseRedirect(reverse("backoffice_products"))
        messages.error(request, _("Le produit n'a pas été enregistré : corrigez les erreurs signalées."))
        return self.render_to_response(self.get_context_data(form=form, formset=formset), status=200)


class ProductCreateView(ProductFormView):
    page_title = gettext_lazy("Nouveau produit")
    success_message = gettext_lazy("Produit « %(title)s » ajouté.")


class OwnProductMixin:
    """Views of one product, looked up among the user's shops only (404 otherwise)."""

    def dispatch(self, request, *args, **kwargs):
        if self.allowed(request.user):
            self.product = get_object_or_404(products_for(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["product"] = self.product
        return context


class ProductEditView(OwnProductMixin, ProductFormView):
    success_message = gettext_lazy("Produit « %(title)s » enregistré.")

    def get_page_title(self):
        return self.product.title


class ProductDeleteView(OwnProductMixin, ProductsPermission, BackOfficeView):
    template_name = "backoffice/products/delete.html"
    index_url_name = "backoffice_products"
    index_label = gettext_lazy("Produits")

    def get_page_title(self):
        return _("Supprimer « %(title)s »") % {"title": self.product.title}

    def post(self, request, pk):
        title = self.product.title
        self.product.delete()
        messages.success(request, _("Produit « %(title)s » supprimé.") % {"title": title})
        return HttpResponseRedirect(reverse("backoffice_products"))
