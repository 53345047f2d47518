from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from backoffice.wagtail_screens import guard_admin_screens
from townmarket import extensions, legal, page_cache, seo, views
from townmarket.oscar_dashboard import guard_dashboard

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
    path("admin/", include(guard_admin_screens(wagtailadmin_urls.urlpatterns))),  # roles' screens
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", views.healthcheck, name="healthcheck"),  # database and caches: 200 or 503
    path("ping", views.ping, name="ping"),  # trivial: the benchmark's baseline
    path("visiteur/", page_cache.visitor_state, name="visitor_state"),  # a token and the basket's count, for cached pages
    path("sitemap.xml", seo.sitemap, name="sitemap"),  # Wagtail pages, categories, products (townmarket.seo)
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("cgv/", legal.redirect_to_legal_page, {"slug": legal.TERMS_SLUG}, name="terms"),  # the short address
    # Oscar under a prefix, before Wagtail's catch-all (STACK-NOTES, "URL order").
    # Oscar's own search page: the catalogue is where the marketplace searches (old links).
    path("boutique/search/", RedirectView.as_view(pattern_name="catalogue:index", query_string=True, permanent=True)),
    path("boutique/", include(guard_dashboard(apps.get_app_config("oscar").urls[0]))),  # its dashboard: superusers only
    path("inscrire-mon-commerce/", include("backoffice.onboarding.urls")),
    path("factures/", include("invoicing.urls")),  # each shop's invoices and credit notes (PDF)
    *extensions.public_urls(),  # plugins' own pages (payment webhooks…), before the catch-all
    path("", include(wagtail_urls)),
]
if settings.SERVE_MEDIA:
    # Development only: in production the front server or the object storage serves
    # MEDIA_ROOT (README, "Deploy"). Private files are not under MEDIA_ROOT at all.
    urlpatterns.insert(0, path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))

