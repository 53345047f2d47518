"""Oscar's dashboard (/boutique/dashboard/) opens for superusers only.

Association staff, volunteers and merchants work in the marketplace's back office
(/admin/commerce/…), whose views look objects up in the user's shops and move orders
through the workflow. Oscar's dashboard has neither rule: a staff account there sees and
edits every shop's products, partners, users and offers. Superusers, who may do all of
that anyway, keep it for what only it offers (offers, vouchers, reports)."""
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from wagtail.utils.urlpatterns import decorate_urlpatterns


def superusers_only(view):
    @wraps(view)
    def view_for_superusers(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (user.is_active and user.is_superuser):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return view_for_superusers


def guard_dashboard(oscar_urlpatterns):
    """Oscar's URL patterns, with every view of its dashboard for superusers only."""
    dashboards = [pattern for pattern in oscar_urlpatterns if getattr(pattern, "namespace", None) == "dashboard"]
    if not dashboards:
        raise ImproperlyConfigured("Oscar's dashboard URLs were not found: nothing would guard them.")
    for dashboard in dashboards:
        decorate_urlpatterns(dashboard.url_patterns, superusers_only)
    return oscar_urlpatterns
