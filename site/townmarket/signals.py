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

# Sent inside the transaction in which an order reaches its shops: placed without
# waiting for an online payment, or once that payment is confirmed (after order_paid).
# The invoicing app issues each shop's invoice on it. Arguments: order, paid_online
# (True when an online payment has just paid it).
order_confirmed = Signal()

# Sent when money for one shop's part of an order was collected outside the checkout
# (a volunteer at the door, on delivery), inside the transaction that records it, so
# that a payments plugin records it as the shop's in-store payment. Arguments:
# shop_order, amount (Decimal), means ("especes", "cheque", "carte"), user.
payment_collected = Signal()
