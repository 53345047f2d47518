"""Gift-card offers in Django's admin (/django-admin/), for the association's
administrator: which product is which kind of card, with which amounts. Cards and
their ledger are not listed here: a card is looked up by its code in the back office."""
from django.contrib import admin

from .models import GiftCardOffer


@admin.register(GiftCardOffer)
class GiftCardOfferAdmin(admin.ModelAdmin):
    list_display = ("product", "kind", "preset_amounts", "min_amount", "max_amount", "validity_months")
    list_filter = ("kind",)
    raw_id_fields = ("product", "service")
