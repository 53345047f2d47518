from django.urls import path

from . import views

urlpatterns = [
    path("commandes/<int:pk>/rembourser/", views.RefundView.as_view(), name="payments_refund"),
    path("commandes/<int:pk>/paye-en-magasin/", views.InStorePaymentView.as_view(), name="payments_in_store"),
    path("remboursements/<int:pk>/reessayer/", views.RetryRefundView.as_view(), name="payments_retry_refund"),
    path("reglements/", views.SettlementView.as_view(), name="payments_settlement"),
    path("reglements/export.csv", views.SettlementExportView.as_view(), name="payments_settlement_export"),
    path("reglements/virements.xml", views.SepaTransferView.as_view(), name="payments_sepa_transfers"),
    path("coordonnees-bancaires/", views.PayoutAccountView.as_view(), name="payments_payout_account"),
    path("commissions/<int:partner_pk>/", views.CommissionView.as_view(), name="payments_commission"),
]
