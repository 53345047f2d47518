from django.urls import path

from . import views

urlpatterns = [
    path("<str:number>.pdf", views.account_document, name="invoicing_account"),
    path("suivi/<str:token>/<str:number>.pdf", views.tracking_document, name="invoicing_tracking"),
]
