import datetime as dt

from django.urls import path, register_converter

from . import views


class IsoDateConverter:
    """2026-11-26; anything else, or an impossible date, is a 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        return dt.date.fromisoformat(value)  # ValueError → no match → 404

    def to_url(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)


register_converter(IsoDateConverter, "isodate")

urlpatterns = [
    path("tournees/", views.RoundsIndexView.as_view(), name="local_delivery_rounds"),
    path("tournees/<isodate:day>/", views.RoundView.as_view(), name="local_delivery_round"),
    path("tournees/<isodate:day>/feuille-de-route.pdf", views.RunSheetView.as_view(), name="local_delivery_run_sheet"),
    path("tournees/arret/<int:pk>/", views.MarkStopView.as_view(), name="local_delivery_mark_stop"),
    path("tournees/<isodate:day>/arret/<int:pk>/paiement/<int:part>/", views.RecordPaymentView.as_view(),
         name="local_delivery_record_payment"),
    path("commandes/<int:pk>/paye-avant-envoi/", views.PaidBeforeSendingView.as_view(),
         name="local_delivery_paid_before_sending"),
    path("modes-de-remise/", views.ShopDeliveryView.as_view(), name="local_delivery_shop"),
]
