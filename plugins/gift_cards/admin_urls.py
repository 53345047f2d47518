from django.urls import path

from . import admin_views, offer_views

urlpatterns = [
    path("encaisser/", admin_views.RedeemView.as_view(), name="gift_cards_redeem"),
    path("recus/<int:pk>/", admin_views.ReceiptView.as_view(), name="gift_cards_receipt"),
    path("carte/", admin_views.CardView.as_view(), name="gift_cards_card"),
    path("encours/", admin_views.ReportView.as_view(), name="gift_cards_report"),
    path("encours/export.csv", admin_views.ReportExportView.as_view(), name="gift_cards_report_export"),
    path("offres/", offer_views.OfferListView.as_view(), name="gift_cards_offers"),
    path("offres/ajouter/", offer_views.OfferFormView.as_view(), name="gift_cards_offer_add"),
    path("offres/<int:pk>/", offer_views.OfferFormView.as_view(), name="gift_cards_offer_edit"),
    path("offres/<int:pk>/retirer/", offer_views.OfferDeactivateView.as_view(), name="gift_cards_offer_deactivate"),
]
