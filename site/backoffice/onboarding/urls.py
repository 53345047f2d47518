from django.urls import path

from . import views

urlpatterns = [
    path("", views.apply, name="shop_application"),
    path("merci/", views.thanks, name="shop_application_thanks"),
    path("invitation/<str:token>/", views.invitation, name="shop_invitation"),
]
