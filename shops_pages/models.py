from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from oscar.core.loading import get_model
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from .blocks import BaseStreamBlock, ServiceBlock
from .permissions import FEATURE_SHOPS, ClosedByAssociation, settings_panels_closed_by_association
from oscar_apps.catalogue.listing import listed, town_products
from townmarket.text import sort_key



class CoordinateField(models.DecimalField):
    """Degrees with six decimals (about 10 cm); the editor reads « 47,1926 » as well as
    « 47.1926 »."""

    def formfield(self, **kwargs):
        return super().formfield(**{"localize": True, **kwargs})


@register_snippet
class ShopKind(models.Model):
    """A kind of shop (épicerie, caviste...). `is_food` drives food delivery days."""

    name = models.CharField(_("Nom"), max_length=80, unique=True)
    slug = models.SlugField(_("Identifiant"), max_length=80, unique=True)
    is_food = models.BooleanField(_("Commerce alimentaire"), default=False)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("is_food")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("type de commerce")
        verbose_name_plural = _("types de commerce")

    def __str__(self):
        return self.name


class HomePage(Page):
    introduction = models.TextField(_("Introduction"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("Image d'accueil"),
    )
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("Contenu"))

    content_panels = Page.content_panels + [
        FieldPanel("introduction"), FieldPanel("hero_image"), FieldPanel("body"),
    ]
    max_count = 1
    subpage_types = ["shops_pages.ShopIndexPage", "shops_pages.NewsIndexPage", "shops_pages.StandardPage"]

    class Meta:
        verbose_name = _("page d'accueil")

    def get_context(self, request, *args, **kwargs):
        Category = get_model("catalogue", "Category")
        context = super().get_context(request, *args, **kwargs)
        context["featured_shops"] = (
            ShopPage.objects.live().descendant_of(self).filter(featured=True).select_related("kind", "cover_image")[:6]
        )
        context["new_products"] = listed(town_products(request).order_by("-date_created", "-id"))[:8]
        context["latest_news"] = NewsPage.objects.live().descendant_of(self).order_by("-date")[:3]
        context["categories"] = sorted(Category.objects.browsable().filter(depth=1), key=lambda c: sort_key(c.name))
        context["shop_index"] = ShopIndexPage.objects.live().descendant_of(self).first()
        context["shop_kinds"] = sorted(ShopKind.objects.filter(shops__in=ShopPage.objects.live().descendant_of(self))
                                       .distinct(), key=lambda k: sort_key(k.name))
        return context


class ShopIndexPage(ClosedByAssociation, Page):
    """The shop directory, filterable by kind (?type=<slug>)."""

    introduction = models.TextField(_("Introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    settings_panels = settings_panels_closed_by_association()
    parent_page_types = ["shops_pages.HomePage"]
    subpage_types = ["shops_pages.ShopPage"]
    max_count = 1

    class Meta:
        verbose_name = _("annuaire des commerces")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        shops = (
            ShopPage.objects.live().child_of(self)
            .select_related("kind", "cover_image")
            .prefetch_related("opening_hours")
            .order_by("title")
        )
        kinds = ShopKind.objects.filter(shops__in=shops).distinct()
        selected = request.GET.get("type", "")
        if selected:
            shops = shops.filter(kind__slug=selected)
        paginator = Paginator(shops, 24)
        context.update(
            shops=paginator.get_page(request.GET.get("page")),
            kinds=kinds,
            selected_kind=selected,
            query_string=urlencode({"type": selected}) if selected else "",
        )
        return context


class ShopPage(ClosedByAssociation, Page):
    """A shop's vitrine, tied one-to-one to the Oscar Partner that sells its products."""

    partner = models.OneToOneField(
        "partner.Partner", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="shop_page", verbose_name=_("Vendeur (catalogue)"),
    )
    kind = models.ForeignKey(
        ShopKind, null=True, blank=True, on_delete=models.SET_NULL, related_name="shops",
        verbose_name=_("Type de commerce"),
    )
    introduction = models.TextField(_("Présentation courte"), blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("Photo de couverture"),
    )
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("Contenu"))
    services = StreamField([("service", ServiceBlock())], blank=True, verbose_name=_("Prestations"))
    street = models.CharField(_("Adresse"), max_length=255, blank=True)
    postcode = models.CharField(_("Code postal"), max_length=10, blank=True)
    city = models.CharField(_("Commune"), max_length=100, blank=True)
    phone = models.CharField(_("Téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("E-mail"), blank=True)
    website = models.URLField(_("Site web"), blank=True)
    latitude = CoordinateField(
        _("Latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Pour le lien « Voir sur la carte » : sur openstreetmap.org, clic droit sur le commerce, "
                    "« Afficher l'adresse » ; par exemple 47,192600."))
    longitude = CoordinateField(
        _("Longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)], help_text=_("Par exemple 5,384000."))
    featured = models.BooleanField(_("Mis en avant sur l'accueil"), default=False)
    moderation_required = models.BooleanField(
        _("Validation par l'association avant publication"), default=False,
        help_text=_("Si coché, le commerçant soumet sa vitrine à l'association au lieu de la publier lui-même."),
    )

    search_fields = Page.search_fields + [index.SearchField("introduction"), index.SearchField("city")]
    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("introduction"),
        FieldPanel("cover_image"),
        FieldPanel("body"),
        FieldPanel("services"),
        MultiFieldPanel(
            [FieldPanel("street"), FieldPanel("postcode"), FieldPanel("city"),
             FieldPanel("phone"), FieldPanel("email"), FieldPanel("website"),
             FieldPanel("latitude"), FieldPanel("longitude")],
            heading=_("Coordonnées"),
        ),
        InlinePanel("opening_hours", label=_("Horaires d'ouverture")),
    ]
    # Featuring a shop on the home page is the association's choice: the field is left
    # out of everybody else's form, so a forged POST cannot set it either.
    promote_panels = Page.promote_panels + [FieldPanel("featured", permission=FEATURE_SHOPS)]
    # Only the association ties a vitrine to its seller and decides on moderation.
    settings_panels = settings_panels_closed_by_association() + [
        FieldPanel("partner", permission="shops_pages.require_moderation"),
        FieldPanel("moderation_required", permission="shops_pages.require_moderation"),
    ]
    parent_page_types = ["shops_pages.ShopIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("vitrine de commerce")
        verbose_name_plural = _("vitrines de commerce")
        permissions = [
            ("require_moderation", _("Peut imposer la validation des vitrines")),
            ("close_shop", _("Peut dépublier, supprimer ou déplacer une vitrine")),
            ("feature_shop", _("Peut mettre un commerce en avant sur l'accueil")),
        ]

    def save(self, *args, **kwargs):
        # A vitrine created in the Wagtail admin gets its seller at once, so the
        # association can open a shop from the page tree too; it sells in the town
        # whose directory holds the page.
        if self.partner_id is None and self.title:
            town = self.get_parent().get_site()
            self.partner = get_model("partner", "Partner").objects.create(
                name=self.title, **({"town": town} if town else {}))
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            missing = "latitude" if self.latitude is None else "longitude"
            raise ValidationError({missing: _("Indiquez la latitude et la longitude, ou aucune des deux.")})

    @property
    def openstreetmap_url(self):
        """A link to the shop's place on openstreetmap.org (nothing embedded, nothing fetched)."""
        if self.latitude is None or self.longitude is None:
            return ""
        lat, lon = f"{self.latitude:.6f}", f"{self.longitude:.6f}"
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"

    @property
    def address_line(self):
        return ", ".join(part for part in [self.street, f"{self.postcode} {self.city}".strip()] if part)

    @cached_property
    def opening_hours_lines(self):
        """One line per open day: « Mardi 09h00–12h30, 14h30–19h00 » (uses a prefetch when there is one)."""
        by_day = {}
        for row in sorted(self.opening_hours.all(), key=lambda r: (r.weekday, r.opens)):
            by_day.setdefault(row.weekday, (row.get_weekday_display(), []))[1].append(row.time_range)
        return [f"{day} {', '.join(ranges)}" for day, ranges in by_day.values()]

    def get_products(self):
        Product = get_model("catalogue", "Product")
        if not self.partner_id:
            return Product.objects.none()
        return listed(
            Product.objects.browsable().filter(stockrecords__partner_id=self.partner_id).order_by("title", "id"))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.get_products(), settings.TOWNMARKET_SHOP_PRODUCTS_PER_PAGE)
        try:
            products = paginator.page(request.GET.get("page") or 1)
        except (EmptyPage, PageNotAnInteger):
            raise Http404(_("Cette page de produits n'existe pas."))
        context["products"] = products
        return context


class ShopOpeningHours(Orderable):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Lundi")
        TUESDAY = 1, _("Mardi")
        WEDNESDAY = 2, _("Mercredi")
        THURSDAY = 3, _("Jeudi")
        FRIDAY = 4, _("Vendredi")
        SATURDAY = 5, _("Samedi")
        SUNDAY = 6, _("Dimanche")

    page = ParentalKey(ShopPage, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.IntegerField(_("Jour"), choices=Weekday.choices)
    opens = models.TimeField(_("Ouverture"))
    closes = models.TimeField(_("Fermeture"))

    panels = [FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")]

    class Meta(Orderable.Meta):
        verbose_name = _("horaire")
        verbose_name_plural = _("horaires")

    @property
    def time_range(self):
        return f"{self.opens:%Hh%M}–{self.closes:%Hh%M}"

    def __str__(self):
        return f"{self.get_weekday_display()} {self.time_range}"


class NewsIndexPage(Page):
    introduction = models.TextField(_("Introduction"), blank=True)
    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["shops_pages.HomePage"]
    subpage_types = ["shops_pages.NewsPage"]
    max_count = 1

    class Meta:
        verbose_name = _("liste des actualités")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = NewsPage.objects.live().child_of(self).order_by("-date")
        context["news"] = Paginator(news, 10).get_page(request.GET.get("page"))
        return context


class NewsPage(Page):
    date = models.DateField(_("Date"))
    introduction = models.TextField(_("Chapeau"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("Image"),
    )
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("Contenu"))

    content_panels = Page.content_panels + [
        FieldPanel("date"), FieldPanel("introduction"), FieldPanel("image"), FieldPanel("body"),
    ]
    parent_page_types = ["shops_pages.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("actualité")
        verbose_name_plural = _("actualités")


class StandardPage(Page):
    introduction = models.TextField(_("Introduction"), blank=True)
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("Contenu"))
    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]

    class Meta:
        verbose_name = _("page simple")
