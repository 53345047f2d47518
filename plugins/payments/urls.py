"""Public pages: Stripe's webhook, and where Stripe sends the customer back."""
from django.urls import path

from . import payment_links, public_views

urlpatterns = [
    path("stripe/webhook/", public_views.stripe_webhook, name="payments_stripe_webhook"),
    path("commande/<str:number>/", public_views.PaymentReturnView.as_view(), name="payments_return"),
    path("commande/<str:number>/abandon/", public_views.PaymentCancelView.as_view(), name="payments_cancel"),
    path("lien/<str:token>/", payment_links.PaymentLinkView.as_view(), name="payments_link"),
]
