"""Public pages, mounted at /cartes-cadeaux/ (PUBLIC_URLS)."""
from django.urls import path

from . import checkout, purchase, views

urlpatterns = [
    path("solde/", views.BalanceView.as_view(), name="gift_cards_balance"),
    path("produit/<int:pk>/ajouter/", purchase.AddGiftCardView.as_view(), name="gift_cards_add"),
    path("utiliser/", checkout.ApplyCardView.as_view(), name="gift_cards_apply"),
    path("retirer/", checkout.RemoveCardView.as_view(), name="gift_cards_remove"),
]
