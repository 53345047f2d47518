from django.dispatch import Signal

# Sent when a shop moves its part of an order (ShopOrder) to a new status.
# Arguments: shop_order, old_status, new_status, user.
shop_order_status_changed = Signal()
