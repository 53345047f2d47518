from django.dispatch import Signal

# Sent when a shop moves its part of an order (ShopOrder) to a new status.
# Arguments: shop_order, old_status, new_status, user.
shop_order_status_changed = Signal()

# Sent by `manage.py load_demo_town` once the demo town is loaded, so plugins can add
# their own demo settings. Arguments: town (dict with "city" and "postcode").
demo_town_loaded = Signal()

# Sent inside the transaction that confirms an order's online payment (the order
# leaves « En attente de paiement »). Arguments: order.
order_paid = Signal()
