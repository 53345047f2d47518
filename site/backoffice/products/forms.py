from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from wagtail.admin.rich_text import DraftailRichTextArea

from backoffice.filters import ShopFilterForm
from backoffice.images import normalise_picture
from oscar_apps.catalogue.editing import available_stock, default_product_class, set_available_stock
from oscar_apps.partner.models import PRODUCT_RATES, VatRate

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
ProductCategory = get_model("catalogue", "ProductCategory")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")
Partner = get_model("partner", "Partner")

MAX_PRICE = Decimal("99999.99")
PRICE_ERRORS = {
    "invalid": _("Indiquez un prix en euros, par exemple 12,50."),
    "min_value": _("Le prix doit être d'au moins 0,01 €."),
    "max_value": _("Le prix ne peut pas dépasser 99 999,99 €."),
    "max_decimal_places": _("Le prix a au plus deux chiffres après la virgule."),
    "max_digits": _("Le prix ne peut pas dépasser 99 999,99 €."),
    "required": _("Indiquez le prix TTC."),
}
STOCK_ERRORS = {
    "invalid": _("Indiquez un nombre entier d'articles, par exemple 12."),
    "min_value": _("Le stock ne peut pas être négatif."),
    "max_value": _("Le stock ne peut pas dépasser 100 000."),
    "required": _("Indiquez le stock (0 si l'article est épuisé)."),
}


def price_field(**kwargs):
    return forms.DecimalField(
        label=_("Prix TTC (€)"), max_digits=7, decimal_places=2, localize=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_PRICE)],
        error_messages=PRICE_ERRORS, widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        **kwargs,
    )


def stock_field(**kwargs):
    return forms.IntegerField(
        label=_("Stock disponible"), min_value=0, max_value=100_000, error_messages=STOCK_ERRORS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}), **kwargs,
    )


# What a malformed rich-text submission becomes (never a server error); a string
# because the form field turns whatever the widget returns into one.
UNREADABLE = "[[unreadable rich text]]"


class DescriptionEditor(DraftailRichTextArea):
    """Wagtail's editor limited to bold, italic and lists. It turns what the browser
    sends into HTML built only from those features, so the storefront can show it
    as is; a forged, malformed value is rejected by the form."""

    def __init__(self, **kwargs):
        super().__init__(features=["bold", "italic", "ol", "ul"], **kwargs)

    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):  # RecursionError: JSON nested thousands deep
            return UNREADABLE


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, category):
        return category.name


class ProductForm(forms.ModelForm):
    """A product as a merchant sees it: one shop, one category, one price, one stock."""

    shop = forms.ModelChoiceField(label=_("Commerce"), queryset=Partner.objects.none(),
                                  error_messages={"invalid_choice": _("Choisissez un de vos commerces.")})
    category = CategoryChoiceField(label=_("Catégorie"), queryset=Category.objects.none(),
                                   error_messages={"required": _("Choisissez une catégorie."),
                                                   "invalid_choice": _("Cette catégorie n'existe pas.")})
    price = price_field()
    vat_rate = forms.ChoiceField(label=_("Taux de TVA"), choices=PRODUCT_RATES, initial=VatRate.STANDARD,
                                 error_messages={"invalid_choice": _("Choisissez un taux de TVA : 20 %%, 10 %%, 5,5 %% ou 2,1 %%.")})
    stock = stock_field(help_text=_("Nombre d'articles que vous pouvez encore vendre."))
    sku = forms.CharField(label=_("Référence (facultatif)"), max_length=128, required=False,
                          help_text=_("Votre code article ; sert aussi à mettre à jour le produit par import."))

    class Meta:
        model = Product
        fields = ["title", "description", "is_public"]
        labels = {"title": _("Nom du produit"), "description": _("Description"), "is_public": _("En vente sur le site")}
        widgets = {"description": DescriptionEditor()}
        error_messages = {"title": {"required": _("Donnez un nom au produit.")}}

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = True
        self.fields["shop"].queryset = partners
        self.fields["category"].queryset = Category.objects.order_by("path")
        self.stockrecord = self.instance.stockrecords.select_related("partner").first() if self.instance.pk else None
        if self.stockrecord:
            self.fields["shop"].disabled = True  # a product stays in its shop
            self.initial.update(shop=self.stockrecord.partner, price=self.stockrecord.price,
                                vat_rate=self.stockrecord.vat_rate, stock=available_stock(self.stockrecord),
                                sku=self.stockrecord.partner_sku)
            first_category = self.instance.categories.order_by("path").first()
            if first_category:
                self.initial["category"] = first_category
        elif len(partners) == 1:  # a merchant's own shop, which a forged value cannot change
            self.initial["shop"] = partners[0]
            self.fields["shop"].disabled = True
            self.fields["shop"].widget = forms.HiddenInput()
        if not self.instance.product_class_id:
            self.instance.product_class = default_product_class()

    def clean_description(self):
        description = self.cleaned_data.get("description")
        if description == UNREADABLE:
            raise forms.ValidationError(_("La description n'a pas pu être lue ; saisissez-la à nouveau."))
        return description or ""

    def clean(self):
        cleaned = super().clean()
        shop, sku = cleaned.get("shop"), cleaned.get("sku")
        if shop and sku:
            clash = StockRecord.objects.filter(partner=shop, partner_sku=sku)
            if self.stockrecord:
                clash = clash.exclude(pk=self.stockrecord.pk)
            if clash.exists():
                self.add_error("sku", _("Un autre produit de ce commerce a déjà la référence « %(sku)s ».") % {"sku": sku})
        return cleaned

    @transaction.atomic
    def save(self, commit=True):
        product = super().save(commit=False)
        product.save()
        ProductCategory.objects.filter(product=product).exclude(category=self.cleaned_data["category"]).delete()
        ProductCategory.objects.get_or_create(product=product, category=self.cleaned_data["category"])
        stockrecord = self.stockrecord or StockRecord(product=product, partner=self.cleaned_data["shop"], num_allocated=0)
        stockrecord.price = self.cleaned_data["price"]
        stockrecord.price_currency = "EUR"
        stockrecord.vat_rate = self.cleaned_data["vat_rate"]
        stockrecord.partner_sku = self.cleaned_data["sku"] or stockrecord.partner_sku or f"P{product.pk}"
        if stockrecord.pk is None:
            stockrecord.num_in_stock = self.cleaned_data["stock"]
        stockrecord.save()
        set_available_stock(stockrecord, self.cleaned_data["stock"])
        self.stockrecord = stockrecord
        return product


class ProductImageForm(forms.ModelForm):
    class Meta:
        model = ProductImage
        fields = ["original", "caption", "display_order"]
        error_messages = {"original": {"required": _("Choisissez une photo.")}}
        labels = {"original": _("Photo"), "caption": _("Texte alternatif (décrit la photo)"), "display_order": _("Ordre")}
        widgets = {"original": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_order"].required = False
        self.fields["display_order"].widget.attrs.update(min=0, max=99)

    def has_changed(self):
        """A blank extra row (no photo, no text) is ignored, whatever its order number."""
        if self.instance.pk:
            return super().has_changed()
        return bool(self.files.get(self.add_prefix("original")) or self.data.get(self.add_prefix("caption")))

    def clean_original(self):
        upload = self.cleaned_data.get("original")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            return normalise_picture(upload)
        return upload

    def clean_display_order(self):
        return self.cleaned_data.get("display_order") or 0


ProductImageFormSet = forms.inlineformset_factory(
    Product, ProductImage, form=ProductImageForm, extra=2, max_num=8, validate_max=True, can_delete=True,
)


class QuickEditForm(forms.Form):
    """Price and stock edited right in the product list."""

    price = price_field()
    stock = stock_field()


class ProductFilterForm(ShopFilterForm):
    AVAILABILITY = [("", _("Tous")), ("en_stock", _("En stock")), ("epuise", _("Épuisés")),
                    ("hors_ligne", _("Hors ligne"))]
    q = forms.CharField(label=_("Rechercher"), required=False, max_length=100)
    categorie = forms.ModelChoiceField(label=_("Catégorie"), required=False, queryset=Category.objects.order_by("path"),
                                       empty_label=_("Toutes"))
    dispo = forms.ChoiceField(label=_("Disponibilité"), required=False, choices=AVAILABILITY)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categorie"].label_from_instance = lambda category: category.name
