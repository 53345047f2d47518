"""Orders in the Django admin: shown, never moved. An order changes state only through
the marketplace's workflow (the back office, the payment plugin), which releases stock
and delivery places, refunds and tells the customer; a status typed here, an order
added by hand or deleted would do none of that."""
from django.contrib import admin
from oscar.apps.order import admin as oscar_admin

from .models import Line, Order, ShopOrder


class ViewOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LineInline(ViewOnly, oscar_admin.LineInline):
    pass


class OrderAdmin(oscar_admin.OrderAdmin):
    """The customer's details stay editable; the status, the lines and the amounts do not."""

    readonly_fields = (*oscar_admin.OrderAdmin.readonly_fields, "status")
    inlines = [LineInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LineAdmin(ViewOnly, oscar_admin.LineAdmin):
    pass


class ShopOrderAdmin(ViewOnly, admin.ModelAdmin):
    list_display = ("order", "partner", "status", "fulfilment_label", "subtotal", "date_created")
    list_filter = ("status", "partner")
    search_fields = ("order__number", "partner__name")


for model, model_admin in ((Order, OrderAdmin), (Line, LineAdmin)):
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
admin.site.register(ShopOrder, ShopOrderAdmin)
