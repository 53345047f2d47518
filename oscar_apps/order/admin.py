from django.contrib import admin
from oscar.apps.order.admin import *  # noqa: F401,F403

from .models import ShopOrder


@admin.register(ShopOrder)
class ShopOrderAdmin(admin.ModelAdmin):
    list_display = ("order", "partner", "status", "fulfilment_label", "subtotal", "date_created")
    list_filter = ("status", "partner")
    search_fields = ("order__number", "partner__name")
