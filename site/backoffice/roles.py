"""Who may do what in the back office.

Three roles, each a Django group with model permissions plus Wagtail page and
collection permissions:

- "Association": every shop, orders, sales, news, users and roles, applications;
- "Bénévoles": products and shop pages of every shop; no orders, customers or settings;
- one group per shop ("Commerce · <nom>"): that shop's vitrine, products and orders.

Model permissions say *what* a user may do; `managed_partners()` says *for which
shops* (row level), from Oscar's own `Partner.users`.

Several towns (Wagtail Sites) on one install: each town has its own « Association » and
« Bénévoles » groups (`TownTeam`; the default town's keep those names, another's are
« Association · <nom> »…), with page permissions on that town's home page and its
collection; `staffed_towns(user)` says which towns' association or volunteers a user
belongs to (the towns whose town-wide screens they open), and `managed_partners()` of a
town's staff is those towns' shops plus their own. A superuser (the platform
administrator) has every town.
"""
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models.signals import post_migrate
from django.db.models import Q
from oscar.core.loading import get_model
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from shops_pages.permissions import CLOSE_SHOPS, FEATURE_SHOPS
from townmarket.text import is_row_id

ASSOCIATION = "Association"
VOLUNTEERS = "Bénévoles"
MERCHANT_GROUP_PREFIX = "Commerce · "

ALL_SHOPS = "backoffice.manage_all_shops"
VIEW_ORDERS = "order.view_shoporder"
CHANGE_ORDERS = "order.change_shoporder"
MARKETPLACE_SALES = "backoffice.view_marketplace_sales"
REVIEW_APPLICATIONS = "backoffice.change_shopapplication"
SITE_REPORTS = "backoffice.view_site_reports"
TOWN_SETTINGS = "townmarket.change_townsettings"  # the town's identity (Wagtail site setting)

PRODUCT_PERMISSIONS = ["catalogue.add_product", "catalogue.change_product", "catalogue.delete_product",
                       "catalogue.view_product"]
ORDER_PERMISSIONS = [VIEW_ORDERS, CHANGE_ORDERS]
IMAGE_PERMISSIONS = ["add_image", "change_image", "choose_image", "delete_image"]
# Volunteers type vitrines in for the shops: they upload and choose pictures, and
# change or delete none of the shops' own (Wagtail still lets an uploader fix theirs).
VOLUNTEER_IMAGE_PERMISSIONS = ["add_image", "choose_image"]
DOCUMENT_PERMISSIONS = ["add_document", "change_document", "choose_document", "delete_document"]

ROLE_PERMISSIONS = {
    ASSOCIATION: [
        "wagtailadmin.access_admin", ALL_SHOPS, MARKETPLACE_SALES, *PRODUCT_PERMISSIONS, *ORDER_PERMISSIONS,
        "backoffice.view_shopapplication", REVIEW_APPLICATIONS, "townmarket.change_outboxmessage",
        "auth.add_user", "auth.change_user", "auth.delete_user", "auth.view_group",
        "shops_pages.add_shopkind", "shops_pages.change_shopkind", "shops_pages.delete_shopkind",
        "shops_pages.require_moderation", CLOSE_SHOPS, FEATURE_SHOPS, SITE_REPORTS, TOWN_SETTINGS,
    ],
    VOLUNTEERS: ["wagtailadmin.access_admin", ALL_SHOPS, *PRODUCT_PERMISSIONS],
}
MERCHANT_PERMISSIONS = ["wagtailadmin.access_admin", *PRODUCT_PERMISSIONS, *ORDER_PERMISSIONS]


def permissions(names):
    """Permission objects for "app_label.codename" names (one query)."""
    found = existing_permissions(names)
    missing = set(names) - {f"{p.content_type.app_label}.{p.codename}" for p in found}
    if missing:
        raise LookupError(f"Unknown permissions: {sorted(missing)}")
    return found


def existing_permissions(names):
    """The Permission objects of those names that exist (one query): during `migrate`, a
    plugin's appear after its own migrations, later than the core's groups."""
    query = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(query).select_related("content_type"))


def collection_permissions(codenames):
    return Permission.objects.filter(codename__in=codenames, content_type__app_label__in=["wagtailimages", "wagtaildocs"])


# --- Row level ------------------------------------------------------------------------
def staffed_towns(user):
    """The towns (Wagtail Sites) whose association or volunteers `user` belongs to (their
    role groups, `TownTeam`): the towns whose town-wide screens (applications, users,
    rounds, cards, settings, failed e-mails) they open. Every town for a superuser (the
    platform administrator). A queryset of Site (empty for an anonymous or inactive user)."""
    from wagtail.models import Site

    if not (user.is_authenticated and user.is_active):
        return Site.objects.none()
    if user.is_superuser:
        return Site.objects.all()
    TownTeam = get_model("backoffice", "TownTeam")
    return Site.objects.filter(pk__in=TownTeam.objects.filter(group__user=user).values("town"))


def managed_towns(user):
    """The towns whose back office `user` works in: their `staffed_towns` plus their own
    shops' towns. Only for pages that then narrow to `managed_partners(user)` (a merchant's
    settlement): in a town where they only run a shop, a user is a merchant, whatever
    role they hold elsewhere."""
    towns = staffed_towns(user)
    if not (user.is_authenticated and user.is_active) or user.is_superuser:
        return towns
    Partner = get_model("partner", "Partner")
    return towns.model.objects.filter(Q(pk__in=towns.values("pk"))
                                      | Q(pk__in=Partner.objects.filter(users=user).values("town")))


TOWN_PARAMETER = "ville"  # ?ville=<site id>: which of their towns a page shows


def chosen_town(request, wanted=None, among=staffed_towns):
    """The town a per-town back-office page (rounds, settlements, the town card) shows:
    `wanted` (by default `?ville=<id>`) among the user's towns (`among(user)`), another
    town or a wrong id a 404; without it, the town of the address the back office is
    opened on when it is theirs, else their first (none: a 404)."""
    from django.http import Http404

    from townmarket.sites import current_site

    towns = among(request.user)
    wanted = request.GET.get(TOWN_PARAMETER, "") if wanted is None else wanted
    if wanted:
        found = towns.filter(pk=wanted).first() if is_row_id(wanted) else None
    else:
        here = current_site(request)
        found = here if here is not None and towns.filter(pk=here.pk).exists() else towns.order_by("pk").first()
    if found is None:
        raise Http404
    return found


def managed_partners(user):
    """The shops (Oscar Partners) whose products, pages and orders `user` may handle:
    every shop of their towns for a holder of ALL_SHOPS (a town's association or
    volunteers; every town's for a superuser), else their own (`Partner.users`)."""
    Partner = get_model("partner", "Partner")
    if not (user.is_authenticated and user.is_active):
        return Partner.objects.none()
    if user.is_superuser:
        return Partner.objects.all()
    if user.has_perm(ALL_SHOPS):
        return Partner.objects.filter(Q(town__in=staffed_towns(user))
                                      | Q(pk__in=Partner.objects.filter(users=user).values("pk")))
    return Partner.objects.filter(users=user)


def town_orders(user, orders):
    """`orders` (a queryset of Oscar orders) narrowed to the towns `user` works for:
    the orders taken on the sites of the towns they staff (`Order.town`; an order from
    before there were towns, by its shops' town). A superuser's: all."""
    if user.is_superuser:
        return orders
    towns = staffed_towns(user)
    ShopOrder = get_model("order", "ShopOrder")
    return orders.filter(Q(town__in=towns) | Q(town__isnull=True, pk__in=ShopOrder.objects.filter(
        partner__town__in=towns).values("order")))


def remembered(function):
    """Answer once per user object: the admin menu, the dashboard and the view all
    ask the same questions during one request (a request loads its own user)."""
    attribute = f"_backoffice_{function.__name__}"

    def wrapper(user):
        if not hasattr(user, attribute):
            setattr(user, attribute, function(user))
        return getattr(user, attribute)

    return wrapper


@remembered
def several_towns(user):
    """Whether the install has more than one town (asked once per request, through the
    request's user): with one, every screen works as on a single-town install."""
    from wagtail.models import Site

    return Site.objects.count() > 1


@remembered
def manages_a_shop(user):
    return managed_partners(user).exists()


@remembered
def own_shop_page(user):
    """The vitrine of a merchant with one shop (None for everybody else)."""
    if user.has_perm(ALL_SHOPS):
        return None
    partners = list(managed_partners(user).select_related("shop_page")[:2])
    return getattr(partners[0], "shop_page", None) if len(partners) == 1 else None


def can_manage_products(user):
    return user.has_perm("catalogue.change_product") and manages_a_shop(user)


def can_see_orders(user):
    return user.has_perm(VIEW_ORDERS) and manages_a_shop(user)


# --- Groups ---------------------------------------------------------------------------
TOWN_ROLES = {ASSOCIATION: "association", VOLUNTEERS: "benevoles"}  # group name -> TownTeam.Role
ASSOCIATION_PAGE_PERMISSIONS = ["add", "change", "publish", "bulk_delete", "lock", "unlock"]
VOLUNTEER_PAGE_PERMISSIONS = ["add", "change", "publish"]


def town_name(site):
    return site.site_name or site.hostname


@transaction.atomic
def ensure_roles():
    """Create or refresh every town's Association and Volunteers groups (idempotent),
    and each shop's. Returns the default town's groups, {ASSOCIATION: group,
    VOLUNTEERS: group} (named « Association » and « Bénévoles »)."""
    from wagtail.models import Site

    groups = None
    for site in Site.objects.select_related("root_page").order_by("-is_default_site", "pk"):
        town_groups = ensure_town_roles(site, shops=False)
        groups = groups or town_groups
    if groups is None:  # no town yet (an empty database): the groups, without pages
        groups = {name: _role_group(name, None) for name in ROLE_PERMISSIONS}
    ShopPage = get_model("shops_pages", "ShopPage")
    for shop_page in ShopPage.objects.filter(partner__isnull=False).select_related("partner"):
        sync_shop_permissions(shop_page)
    return groups


@transaction.atomic
def ensure_town_roles(site, shops=True):
    """Create or refresh the role groups of one town (Wagtail Site), idempotent:
    « Association » and « Bénévoles » for the default town, « Association · <nom> » and
    « Bénévoles · <nom> » for another; their page permissions on that town's home page
    (volunteers: its shop directories), its image collection, its moderation workflow.
    With `shops`, also each of the town's shop groups. Returns {ASSOCIATION: group,
    VOLUNTEERS: group}; `manage.py new_town` calls it for a new town."""
    groups = {name: _role_group(name, site) for name in ROLE_PERMISSIONS}
    home = site.root_page
    if home is not None:
        ShopIndexPage = get_model("shops_pages", "ShopIndexPage")
        _grant_pages(groups[ASSOCIATION], home, ASSOCIATION_PAGE_PERMISSIONS, only_under=home)
        shop_indexes = list(ShopIndexPage.objects.descendant_of(home))
        for shop_index in shop_indexes:
            _grant_pages(groups[VOLUNTEERS], shop_index, VOLUNTEER_PAGE_PERMISSIONS)
        _withdraw_pages_elsewhere(groups[VOLUNTEERS], shop_indexes)
    collection = town_collection(site)
    _grant_collection(groups[ASSOCIATION], collection, IMAGE_PERMISSIONS + DOCUMENT_PERMISSIONS)
    _grant_collection(groups[VOLUNTEERS], collection, VOLUNTEER_IMAGE_PERMISSIONS, only=True)
    for group in groups.values():  # none left on the root or another town's collection
        GroupCollectionPermission.objects.filter(group=group).exclude(collection=collection).delete()
    _association_moderates(groups[ASSOCIATION], site)
    if shops:
        ShopPage = get_model("shops_pages", "ShopPage")
        for shop_page in ShopPage.objects.filter(partner__town=site).select_related("partner"):
            sync_shop_permissions(shop_page)
    return groups


def _role_group(name, site):
    """The group of role `name` («Association», «Bénévoles») in `site`, linked to it by a
    TownTeam, created with the role's model permissions if missing."""
    TownTeam = get_model("backoffice", "TownTeam")
    team = TownTeam.objects.select_related("group").filter(town=site, role=TOWN_ROLES[name]).first() if site else None
    if team:
        group = team.group
    else:
        default = site is None or site.is_default_site
        group_name = name if default else f"{name} · {town_name(site)}"[:150]
        group, _ = Group.objects.get_or_create(name=group_name)
        if site is not None:
            if TownTeam.objects.filter(group=group).exclude(town=site).exists():
                # the name is another town's (the default town changed): a name of its own
                group, _ = Group.objects.get_or_create(name=f"{name} · {town_name(site)} ({site.pk})"[:150])
            TownTeam.objects.update_or_create(group=group, defaults={"town": site, "role": TOWN_ROLES[name]})
    group.permissions.add(*permissions(ROLE_PERMISSIONS[name]))
    group.permissions.add(*existing_permissions(PLUGIN_PERMISSIONS[name]))
    return group


# --- What plugins grant a role ---------------------------------------------------------
PLUGIN_PERMISSIONS = {ASSOCIATION: [], VOLUNTEERS: []}  # filled by grant_to_role()


def grant_to_role(app_config, role, names):
    """A plugin's permissions (« app_label.codename ») for `role` (ASSOCIATION or
    VOLUNTEERS) in every town, declared from its AppConfig.ready(): each town's group of
    that role gets them after the plugin's migrations (when they exist), and a town's
    groups made later (`ensure_town_roles`, `manage.py new_town`) get them at once."""
    PLUGIN_PERMISSIONS[role].extend(name for name in names if name not in PLUGIN_PERMISSIONS[role])
    post_migrate.connect(_grant_plugin_permissions, sender=app_config,
                         dispatch_uid=f"backoffice.roles.grant_to_role:{app_config.label}")


def _grant_plugin_permissions(**kwargs):
    for role, names in PLUGIN_PERMISSIONS.items():
        if not names:
            continue
        Group.objects.get_or_create(name=role)  # before any town: the default town's group
        granted = existing_permissions(names)
        for group in Group.objects.filter(Q(name=role) | Q(town_team__role=TOWN_ROLES[role])):
            group.permissions.add(*granted)


def town_collection(site):
    """Where a town's pictures and documents go, and its shops' collections: on an
    install of one town, the root collection (as always); with several, the town's own
    « Ville · <nom> », where the default town's root-level files and its shops'
    collections move the first time it is asked for (Wagtail's collection permissions
    are inherited: a town's staff granted the root would see every town's)."""
    from wagtail.models import Site

    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    if site is None or Site.objects.count() <= 1:
        return root
    name = f"Ville · {town_name(site)}"[:255]
    existing = root.get_children().filter(name=name).first()
    if existing:
        return existing
    collection = root.add_child(instance=Collection(name=name))
    if site.is_default_site:  # the files of the install from before it had several towns
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model

        for model in (get_image_model(), get_document_model()):
            model.objects.filter(collection=root).update(collection=collection)
    Partner = get_model("partner", "Partner")
    shop_names = [f"{MERCHANT_GROUP_PREFIX}{name}"[:255] for name in
                  Partner.objects.filter(town=site).values_list("name", flat=True)]
    for shop in root.get_children().filter(name__in=shop_names):
        shop.refresh_from_db()
        shop.move(Collection.objects.get(pk=collection.pk), pos="sorted-child")
    return Collection.objects.get(pk=collection.pk)


def on_post_migrate(**kwargs):
    ensure_roles()


def _grant_pages(group, page, kinds, only_under=None):
    """Grant `kinds` of page permissions on `page`; with `only_under`, withdraw the
    group's permissions on every page outside that page's tree (a town's staff never
    keep a grant on the root, nor on another town's pages)."""
    for kind in kinds:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=f"{kind}_page")
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
    if only_under is not None:
        inside = Page.objects.descendant_of(only_under, inclusive=True).values("pk")
        GroupPagePermission.objects.filter(group=group).exclude(page__in=inside).delete()


def _withdraw_pages_elsewhere(group, pages):
    GroupPagePermission.objects.filter(group=group).exclude(page__in=[page.pk for page in pages]).delete()


def _grant_collection(group, collection, codenames, only=False):
    """Grant `codenames` on `collection`; with `only`, also withdraw the group's others."""
    granted = list(collection_permissions(codenames))
    for permission in granted:
        GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)
    if only:
        withdrawn = GroupCollectionPermission.objects.filter(group=group, collection=collection)
        withdrawn.exclude(permission__in=granted).delete()


def _association_moderates(group, site):
    """Vitrines under moderation go through a Wagtail workflow the town's Association
    approves. The default town: Wagtail's default workflow on the root ("Moderators
    approval"), or one created here when it is missing (a database built without
    Wagtail's data migrations). Another town: its own workflow on its home page, whose
    task only its Association approves (never another town's)."""
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    root_page = Page.get_first_root_node()
    if site.is_default_site:
        if root_page and not WorkflowPage.objects.filter(page=root_page).exists():
            name = "Validation par l'association"
            # a workflow on no page, a task in no workflow: another town's would make town A's
            # association its moderators too
            workflow = (Workflow.objects.filter(active=True, workflow_pages__isnull=True).first()
                        or Workflow.objects.create(name=name))
            if not workflow.workflow_tasks.exists():
                task = (GroupApprovalTask.objects.filter(active=True, workflow_tasks__isnull=True).first()
                        or GroupApprovalTask.objects.create(name=name))
                WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
            WorkflowPage.objects.create(workflow=workflow, page=root_page)
        workflow_page = WorkflowPage.objects.filter(page=root_page).select_related("workflow").first()
        tasks = GroupApprovalTask.objects.filter(active=True, workflow_tasks__workflow=workflow_page.workflow) \
            if workflow_page else GroupApprovalTask.objects.none()
    else:
        if site.root_page_id is None:
            return
        name = f"Validation par l'association · {town_name(site)}"[:255]
        workflow_page = WorkflowPage.objects.filter(page_id=site.root_page_id).select_related("workflow").first()
        if workflow_page is None:
            workflow = Workflow.objects.create(name=name)
            task = GroupApprovalTask.objects.create(name=name)
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
            WorkflowPage.objects.create(workflow=workflow, page_id=site.root_page_id)
            workflow_page = WorkflowPage.objects.get(page_id=site.root_page_id)
        tasks = GroupApprovalTask.objects.filter(active=True, workflow_tasks__workflow=workflow_page.workflow)
    for task in tasks:
        task.groups.add(group)


def merchant_group(partner):
    """The per-shop group of `partner`, created with the merchant permissions if new."""
    ShopTeam = get_model("backoffice", "ShopTeam")
    team = ShopTeam.objects.select_related("group").filter(partner=partner).first()
    if team:
        return team.group
    name = f"{MERCHANT_GROUP_PREFIX}{partner.name}"[:150]
    if ShopTeam.objects.filter(group__name=name).exists():  # a shop of the same name, in another town
        name = f"{MERCHANT_GROUP_PREFIX}{partner.name} ({town_name(partner.town)}, {partner.pk})"[:150]
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.add(*permissions(MERCHANT_PERMISSIONS))
    ShopTeam.objects.create(partner=partner, group=group)
    return group


@transaction.atomic
def sync_shop_permissions(shop_page):
    """Give the shop's group its page and collection permissions.

    The group may edit its vitrine; it may publish it unless the association asked
    to review this shop's changes (`moderation_required`), in which case merchants
    submit it to the moderation workflow instead."""
    partner = shop_page.partner
    if partner is None:
        return None
    group = merchant_group(partner)
    _grant_pages(group, shop_page, ["change"])
    publish = Permission.objects.get(content_type__app_label="wagtailcore", codename="publish_page")
    if shop_page.moderation_required:
        GroupPagePermission.objects.filter(group=group, page=shop_page, permission=publish).delete()
    else:
        GroupPagePermission.objects.get_or_create(group=group, page=shop_page, permission=publish)
    _grant_collection(group, shop_collection(partner), IMAGE_PERMISSIONS)
    return group


def shop_collection(partner):
    """Each shop keeps its pictures in its own collection, invisible to other shops,
    inside its town's collection."""
    root = town_collection(getattr(partner, "town", None))
    name = f"{MERCHANT_GROUP_PREFIX}{partner.name}"[:255]
    existing = root.get_children().filter(name=name).first()
    if existing:
        return existing
    elsewhere = Collection.objects.filter(name=name, depth__gt=1).first()  # the shop changed town
    one_shop_so_named = not get_model("partner", "Partner").objects.filter(name=partner.name).exclude(
        pk=partner.pk).exists()
    if elsewhere and one_shop_so_named and (elsewhere.get_parent().depth == 1
                                            or elsewhere.get_parent().name.startswith("Ville · ")):
        elsewhere.move(root, pos="sorted-child")
        return Collection.objects.get(pk=elsewhere.pk)
    return root.add_child(instance=Collection(name=name))


@transaction.atomic
def add_merchant(partner, user):
    """Make `user` a merchant of `partner`: Oscar's partner users and the shop group."""
    partner.users.add(user)
    user.groups.add(merchant_group(partner))
