from django.urls import path
from wagtail import hooks

from . import views


@hooks.register("register_admin_urls")
def register_urls():
    return [path("factures/<str:number>.pdf", views.backoffice_document, name="invoicing_backoffice")]
