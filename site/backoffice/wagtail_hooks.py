"""The back office inside the Wagtail admin: its URLs, menu entries and styles."""
from django.contrib.auth import get_user_model
from django.http import Http404
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.contrib.settings.registry import registry as settings_registry
from wagtail.models import Site
from wagtail.permission_policies.sites import SitePermissionPolicy
from wagtail.permissions import register_permission_policy

from . import emails, roles, urls
from .menu import BackOfficeMenuItem
from .models import ShopApplication
from . import wagtail_screens  # noqa: F401  (registers the hooks narrowing Wagtail's own screens)
from .orders import unnotified
from .orders.queries import new_orders_count
from .phone_orders.views import may_take_phone_orders
from .personal_data import views as personal_data
from .printed import views as printed


@hooks.register("register_admin_urls")
def register_urls():
    return [path("commerce/", include(urls))]


@hooks.register("insert_global_admin_css")
def backoffice_css():
    return format_html('<link rel="stylesheet" href="{}">', static("backoffice/backoffice.css"))


def pending_applications(user):
    if not user.has_perm(roles.REVIEW_APPLICATIONS):
        return 0
    return ShopApplication.objects.filter(status=ShopApplication.Status.PENDING,
                                          town__in=roles.staffed_towns(user)).count()


class MyShopPageMenuItem(BackOfficeMenuItem):
    """A merchant's shortcut to their vitrine's editor."""

    def get_url(self, request):
        return reverse("wagtailadmin_pages:edit", args=[roles.own_shop_page(request.user).pk])


@hooks.register("register_admin_menu_item")
def my_shop_menu_item():
    return MyShopPageMenuItem(_("Ma vitrine"), "", lambda user: roles.own_shop_page(user) is not None,
                              name="ma-vitrine", icon_name="home", order=50)


@hooks.register("register_admin_menu_item")
def products_menu_item():
    return BackOfficeMenuItem(_("Produits"), reverse("backoffice_products"), roles.can_manage_products,
                              name="produits", icon_name="tag", order=60)


@hooks.register("register_admin_menu_item")
def orders_menu_item():
    return BackOfficeMenuItem(_("Commandes"), reverse("backoffice_orders"), roles.can_see_orders, new_orders_count,
                              name="commandes", icon_name="list-ul", order=70)


@hooks.register("register_admin_menu_item")
def legal_identity_menu_item():
    return BackOfficeMenuItem(_("Identité légale"), reverse("backoffice_legal_identity"),
                              lambda user: user.has_perm(roles.CHANGE_ORDERS) and roles.manages_a_shop(user),
                              name="identite-legale", icon_name="doc-full", order=75)


@hooks.register("register_admin_menu_item")
def phone_order_menu_item():
    return BackOfficeMenuItem(_("Commande par téléphone"), reverse("backoffice_phone_order"), may_take_phone_orders,
                              name="commande-telephone", icon_name="mobile-alt", order=72)


@hooks.register("register_admin_menu_item")
def sales_menu_item():
    return BackOfficeMenuItem(_("Ventes"), reverse("backoffice_sales"), roles.can_see_orders,
                              name="ventes", icon_name="table", order=80)


@hooks.register("register_admin_menu_item")
def printed_menu_item():
    return BackOfficeMenuItem(_("Imprimés"), reverse("backoffice_print"), printed.may_print,
                              name="imprimes", icon_name="doc-full", order=85)


@hooks.register("register_admin_menu_item")
def applications_menu_item():
    return BackOfficeMenuItem(_("Inscriptions"), reverse("backoffice_applications"),
                              lambda user: user.has_perm(roles.REVIEW_APPLICATIONS), pending_applications,
                              name="inscriptions", icon_name="form", order=90)


@hooks.register("register_admin_menu_item")
def personal_data_menu_item():
    return BackOfficeMenuItem(_("Données personnelles"), reverse("backoffice_personal_data"),
                              personal_data.may_handle_personal_data, name="donnees-personnelles",
                              icon_name="user", order=92)


@hooks.register("register_admin_menu_item")
def failed_emails_menu_item():
    return BackOfficeMenuItem(_("E-mails non envoyés"), reverse("backoffice_failed_emails"),
                              lambda user: emails.failed_count(user) > 0, emails.failed_count,
                              name="e-mails-non-envoyes", icon_name="mail", order=95)


class MyShopPanel(Component):
    """The dashboard's first panel for merchants: their shop's shortcuts, big enough
    for a thumb, with the orders waiting."""

    name = "my_shop"
    order = 10
    template_name = "backoffice/home_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        user = self.request.user
        return {
            "shop_page": roles.own_shop_page(user),
            "can_products": roles.can_manage_products(user),
            "can_orders": roles.can_see_orders(user),
            "new_orders": new_orders_count(user),
            "can_review": user.has_perm(roles.REVIEW_APPLICATIONS),
            "pending_applications": pending_applications(user),
        }


hooks.register("construct_homepage_panels", unnotified.add_unnotified_orders_panel)


@hooks.register("construct_homepage_panels")
def add_my_shop_panel(request, panels):
    if roles.can_manage_products(request.user) or roles.can_see_orders(request.user):
        panels.insert(0, MyShopPanel(request))


# --- Several towns (issue 20): a town's staff touch only their towns' --------------------
class TownSettingPermissionPolicy(SitePermissionPolicy):
    """Wagtail's policy for a site setting (TownSettings, DeliverySettings, …), narrowed
    to the towns the user works for (roles.staffed_towns): another town's settings are a
    403 and its site is not in the switcher. A superuser: every town's."""

    def user_has_any_permission_for_instance(self, user, actions, instance):
        site_id = instance.pk if isinstance(instance, Site) else getattr(instance, self.site_fk_field_name)
        return (super().user_has_any_permission_for_instance(user, actions, instance)
                and roles.staffed_towns(user).filter(pk=site_id).exists())

    def sites_user_has_any_permission_for(self, user, actions):
        return super().sites_user_has_any_permission_for(user, actions).filter(pk__in=roles.staffed_towns(user))


def narrow_site_settings():
    """Put the town policy on every registered site setting (Wagtail asks the policy
    registry, where an exact-class registration wins over register_setting's)."""
    for model in settings_registry:
        if issubclass(model, BaseSiteSetting):
            register_permission_policy(model, TownSettingPermissionPolicy(model), exact_class=True)


narrow_site_settings()


@hooks.register("before_bulk_action")
def only_users_of_ones_towns(request, action_type, objects, action_class_instance):
    """Bulk actions on accounts (delete, deactivate, add to a group): only on those the
    staff member may see (townmarket.wagtail_users.users_seen_by), and only with a group
    they may give (Wagtail's « Attribuer un rôle » offers every group)."""
    from townmarket.wagtail_users import groups_given_by, users_seen_by

    users = [obj for obj in objects if isinstance(obj, get_user_model())]
    if users and users_seen_by(request.user).filter(pk__in=[user.pk for user in users]).count() != len(users):
        raise Http404
    role = (getattr(action_class_instance.cleaned_form, "cleaned_data", None) or {}).get("role")
    if users and role is not None and not groups_given_by(request.user).filter(pk=role.pk).exists():
        raise Http404
