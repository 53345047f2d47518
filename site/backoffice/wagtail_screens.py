"""What Wagtail's own admin screens show each role, and which of them a role may open.

Wagtail checks page and collection permissions in its editors, but several of its
screens list objects across the whole site: the admin API's images and documents,
the page chooser, bulk-action confirmations, reports, workflows and page-type usage.
Here they are narrowed to what the user may work on, and the site-wide screens are
kept for the association (SITE_REPORTS): anybody else is sent back to the dashboard
with Wagtail's "permission denied" message, whatever URL they type."""
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.http import Http404
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.documents import get_document_model
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.models import Page
from wagtail.permissions import policy_registry
from wagtail.utils.urlpatterns import decorate_urlpatterns

from townmarket.text import is_row_id

from . import roles

# URL names (or namespaces, ending with ":") of the screens that list the whole site.
SITE_WIDE_SCREENS = ("wagtailadmin_reports:", "wagtailadmin_workflows:", "wagtailadmin_pages:type_use")


def sees_site_wide_screens(user):
    """The association; with several towns, the platform administrator only (Wagtail's
    reports, workflows and page-type usage list every town's pages and people)."""
    return user.has_perm(roles.SITE_REPORTS) and (user.is_superuser or not roles.several_towns(user))


def town_refusal(request, match, kwargs):
    """With several towns: Wagtail's screens about one account (copy, usage, history,
    bulk actions) are a 404 for an account of another town; the groups' screens (which
    list every town's groups) are the platform administrator's."""
    from townmarket.wagtail_users import users_seen_by

    user, name = request.user, match.view_name
    if user.is_superuser or not name.startswith(("wagtailusers_", "wagtailforms:", "wagtail_bulk_action")) \
            or not roles.several_towns(user):
        return None
    if match.view_name.startswith(("wagtailusers_groups:", "wagtailforms:")):  # every town's groups, editors
        return permission_denied(request)
    if match.view_name.startswith("wagtailusers_users:") and kwargs.get("pk"):
        if not is_row_id(kwargs["pk"]) or not users_seen_by(user).filter(pk=int(kwargs["pk"])).exists():
            raise Http404
    User = get_user_model()
    if (match.view_name.startswith("wagtail_bulk_action") and kwargs.get("app_label") == User._meta.app_label
            and kwargs.get("model_name") == User._meta.model_name):
        wanted = request.GET.getlist("id")
        if "all" in wanted or not all(is_row_id(pk) for pk in wanted) or \
                users_seen_by(user).filter(pk__in=[int(pk) for pk in wanted]).count() != len(set(wanted)):
            raise Http404
    return None


def explorable_pages(user):
    return policy_registry.get_by_type(Page).explorable_instances(user)


def choosable(model, user):
    """The images or documents `user` may pick, as Wagtail's own choosers list them."""
    return policy_registry.get_by_type(model).instances_user_has_any_permission_for(user, ["choose"])


# --- URLs ---------------------------------------------------------------------------
def guard_admin_screens(urlpatterns):
    """Wrap every view of Wagtail's admin URLconf with `screen_refusal` (townmarket.urls)."""
    return decorate_urlpatterns(urlpatterns, _guarded)


def _guarded(view):
    def guarded_view(request, *args, **kwargs):
        refusal = screen_refusal(request, kwargs)
        return refusal or view(request, *args, **kwargs)

    return guarded_view


def screen_refusal(request, kwargs):
    """A response refusing the screen `request` asks for, or None to let Wagtail answer."""
    user, match = request.user, request.resolver_match
    if not user.is_authenticated or match is None:
        return None  # Wagtail sends the visitor to its login page
    if match.view_name.startswith(SITE_WIDE_SCREENS) and not sees_site_wide_screens(user):
        return permission_denied(request)
    refusal = town_refusal(request, match, kwargs)
    if refusal:
        return refusal
    if match.view_name == "wagtailadmin_choose_page_child":
        # The chooser shows the page it browses: only pages the user may explore.
        if not explorable_pages(user).filter(pk=kwargs["parent_page_id"]).exists():
            raise Http404
    return None


# --- Hooks ----------------------------------------------------------------------------
@hooks.register("construct_reports_menu")
def reports_for_the_association(request, menu_items):
    # (one COUNT of Sites per request, for the association only: a menu entry that
    # leads to a refusal is a dead end)
    if not sees_site_wide_screens(request.user):
        menu_items[:] = []


@hooks.register("construct_settings_menu")
def groups_for_the_platform_administrator(request, menu_items):
    """With several towns, the groups' screens list every town's: the platform
    administrator's only (town_refusal), so no entry for anybody else."""
    user = request.user
    if not user.is_superuser and user.has_perm("auth.view_group") and roles.several_towns(user):
        menu_items[:] = [item for item in menu_items if item.name != "groups"]


@hooks.register("construct_page_chooser_queryset")
def choose_among_explorable_pages(pages, request):
    return pages.filter(pk__in=explorable_pages(request.user).values("pk"))


@hooks.register("before_move_page")
def move_only_where_allowed(request, page, destination):
    # Wagtail's confirmation screen checks nothing before showing the page it moves.
    if not page.permissions_for_user(request.user).can_move_to(destination):
        return permission_denied(request)


class ChoosableImagesAPIViewSet(ImagesAdminAPIViewSet):
    """The admin API's images: only those the user could pick in the image chooser."""

    def get_queryset(self):
        return super().get_queryset().filter(pk__in=choosable(get_image_model(), self.request.user).values("pk"))


class ChoosableDocumentsAPIViewSet(DocumentsAdminAPIViewSet):
    """The admin API's documents: only those the user could pick in the document chooser."""

    def get_queryset(self):
        return super().get_queryset().filter(pk__in=choosable(get_document_model(), self.request.user).values("pk"))


@hooks.register("construct_admin_api", order=100)  # after Wagtail's own registrations
def admin_api_shows_choosable_files(router):
    router.register_endpoint("images", ChoosableImagesAPIViewSet)
    router.register_endpoint("documents", ChoosableDocumentsAPIViewSet)


@hooks.register("register_permissions")
def marketplace_wagtail_permissions():
    """Shown in Wagtail's group editor, so the association can hand them on."""
    codenames = [name.split(".")[1] for name in (roles.SITE_REPORTS, roles.CLOSE_SHOPS, roles.FEATURE_SHOPS)]
    return Permission.objects.filter(content_type__app_label__in=["backoffice", "shops_pages"], codename__in=codenames)
