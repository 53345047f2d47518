from django.urls import path

from . import views

urlpatterns = [
    path("", views.GuestSearchView.as_view(), name="backoffice_personal_data"),
    path("export.json", views.GuestExportView.as_view(), name="backoffice_personal_data_export"),
    path("effacer/", views.GuestErasureView.as_view(), name="backoffice_personal_data_erase"),
]
