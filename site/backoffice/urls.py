"""Back-office URLs, mounted inside the Wagtail admin (/admin/commerce/...)."""
from django.urls import include, path

from . import emails, legal_identity
from .imports import views as imports
from .onboarding import views as onboarding
from .orders import views as orders
from .phone_orders import views as phone_orders
from .printed import views as printed
from .products import views as products
from .sales import views as sales

urlpatterns = [
    path("produits/", products.ProductListView.as_view(), name="backoffice_products"),
    path("produits/nouveau/", products.ProductCreateView.as_view(), name="backoffice_product_add"),
    path("produits/<int:pk>/", products.ProductEditView.as_view(), name="backoffice_product_edit"),
    path("produits/<int:pk>/rapide/", products.QuickEditView.as_view(), name="backoffice_product_quick"),
    path("produits/<int:pk>/supprimer/", products.ProductDeleteView.as_view(), name="backoffice_product_delete"),
    path("produits/import/", imports.ImportView.as_view(), name="backoffice_import"),
    path("produits/import/lancer/", imports.RunImportView.as_view(), name="backoffice_import_run"),
    path("produits/import/modele.csv", imports.template_file, name="backoffice_import_template"),
    path("commandes/", orders.OrderListView.as_view(), name="backoffice_orders"),
    path("commandes/export.csv", sales.OrdersExportView.as_view(), name="backoffice_orders_export"),
    path("commandes/<int:pk>/", orders.OrderDetailView.as_view(), name="backoffice_order"),
    path("commandes/<int:pk>/statut/", orders.OrderStatusView.as_view(), name="backoffice_order_status"),
    path("commandes/<int:pk>/bon.pdf", orders.PackingSlipView.as_view(), name="backoffice_order_slip"),
    path("telephone/", phone_orders.CustomerView.as_view(), name="backoffice_phone_order"),
    path("telephone/panier/", phone_orders.BasketView.as_view(), name="backoffice_phone_order_basket"),
    path("telephone/valider/", phone_orders.PhoneCheckoutView.as_view(), name="backoffice_phone_order_checkout"),
    path("telephone/nouvelle/", phone_orders.RestartView.as_view(), name="backoffice_phone_order_restart"),
    path("telephone/<int:pk>/", phone_orders.DoneView.as_view(), name="backoffice_phone_order_done"),
    path("telephone/<int:pk>/recapitulatif.pdf", phone_orders.SummaryView.as_view(),
         name="backoffice_phone_order_summary"),
    path("ventes/", sales.SalesView.as_view(), name="backoffice_sales"),
    path("ventes/rapport/", sales.ReportView.as_view(), name="backoffice_sales_report"),
    path("imprimes/", printed.PrintView.as_view(), name="backoffice_print"),
    path("imprimes/depliant.pdf", printed.FlyerView.as_view(), name="backoffice_flyer"),
    path("imprimes/affiche/<int:pk>.pdf", printed.PosterView.as_view(), name="backoffice_poster"),
    path("e-mails-non-envoyes/", emails.FailedEmailListView.as_view(), name="backoffice_failed_emails"),
    path("inscriptions/", onboarding.ApplicationListView.as_view(), name="backoffice_applications"),
    path("identite-legale/", legal_identity.LegalIdentityView.as_view(), name="backoffice_legal_identity"),
    path("inscriptions/<int:pk>/", onboarding.ApplicationDetailView.as_view(), name="backoffice_application"),
    path("donnees-personnelles/", include("backoffice.personal_data.urls")),
]
