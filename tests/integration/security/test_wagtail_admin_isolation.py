"""Wagtail's own screens (explorer, choosers, usage, reports, admin API, bulk actions,
images, documents, search) as an attacker walks them: Bob, who runs the bookshop,
finds no title, picture or file of Alice's cheese shop and can change or delete none
of it; a volunteer deletes nothing; only the association unpublishes or deletes a
vitrine and features a shop on the home page."""
import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from django.utils import timezone
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.documents import get_document_model
from wagtail.images.models import Image
from wagtail.models import Collection, GroupCollectionPermission, Page, PageViewRestriction, Workflow, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from backoffice import roles
from shops_pages.models import ShopPage
from tests.support.images import photo

pytestmark = pytest.mark.django_db
Document = get_document_model()

# Words that only Alice's things carry: her vitrine's live and draft titles and slug,
# her picture, her shop's collection and group, the association's private document.
SECRETS = ["Fromagerie Test", "fromagerie-test", "Brouillon secret", "Devanture fromagère", "devanture-fromagere",
           "Bail de la fromagerie", "Compte rendu du bureau"]


@pytest.fixture
def alices(town, team):
    """Alice's vitrine with a pending draft, locked by her and in moderation; her
    picture in her shop's collection; a document of hers and one of the association."""
    page = town["cheese"]
    alice = team["alice"]
    collection = roles.shop_collection(page.partner)
    image = Image.objects.create(title="Devanture fromagère", collection=collection, uploaded_by_user=alice,
                                 file=ImageFile(photo("devanture-fromagere.jpg"), name="devanture-fromagere.jpg"))
    lease = Document.objects.create(title="Bail de la fromagerie", collection=collection, uploaded_by_user=alice,
                                    file=ContentFile(b"%PDF-1.4 bail", name="bail-fromagerie.pdf"))
    minutes = Document.objects.create(title="Compte rendu du bureau", collection=Collection.get_first_root_node(),
                                      file=ContentFile(b"%PDF-1.4 bureau", name="compte-rendu.pdf"))
    page.title = "Fromagerie Test · Brouillon secret"
    revision = page.save_revision(user=alice, log_action=True)
    page.refresh_from_db()
    workflow_state = Workflow.objects.filter(active=True).first().start(page, alice)
    Page.objects.filter(pk=page.pk).update(locked=True, locked_by=alice, locked_at=timezone.now())
    page.refresh_from_db()
    return {"page": page, "image": image, "lease": lease, "minutes": minutes, "collection": collection,
            "revision": revision, "workflow_state": workflow_state, "user": alice,
            "group": roles.merchant_group(page.partner)}


# The back office's own views, whose isolation tests/integration/backoffice tests.
OUR_OWN_VIEWS = ("admin/commerce/", "admin/livraison/", "admin/paiements/", "admin/cartes-cadeaux/")


def admin_patterns(resolver=None, namespace="", prefix=""):
    """(namespaced name, pattern, route) of every named URL of the Wagtail admin."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else (
                pattern.namespace or namespace)
            yield from admin_patterns(pattern, inner, route)
        elif isinstance(pattern, URLPattern) and pattern.name and route.startswith("admin/"):
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern, route


def argument_values(name, a):
    """The value of each URL argument that points at one of Alice's things."""
    page = a["page"].pk
    by_namespace = [("wagtailimages", a["image"].pk), ("wagtaildocs", a["lease"].pk),
                    ("wagtailadmin_collections", a["collection"].pk), ("wagtailusers_users", a["user"].pk),
                    ("wagtailusers_groups", a["group"].pk), ("wagtailadmin_workflows", a["workflow_state"].workflow_id)]
    pk = next((value for space, value in by_namespace if name.startswith(space)), page)
    task_state = a["workflow_state"].current_task_state
    return {
        "pk": pk, "page_id": page, "parent_page_id": page, "page_to_move_id": page, "page_pk": page,
        "destination_id": a["page"].get_parent().pk, "image_id": a["image"].pk, "document_id": a["lease"].pk,
        "doc_id": a["lease"].pk, "collection_id": a["collection"].pk, "revision_id": a["revision"].pk,
        "revision_id_a": a["revision"].pk, "revision_id_b": "latest", "workflow_state_id": a["workflow_state"].pk,
        "task_state_id": task_state.pk, "task_id": task_state.task_id, "workflow_pk": a["workflow_state"].workflow_id,
        "action_name": "approve", "content_type_app_name": "shops_pages", "content_type_model_name": "shoppage",
        "app_label": "shops_pages", "model_name": "shoppage", "app_name": "shops_pages",
        "filter_spec": "original", "object_id": page, "session_id": 1, "uploaded_file_id": 1, "redirect_id": 1,
    }


def admin_urls(a, with_arguments_only=False):
    """Every Wagtail admin URL, aimed at Alice's things where it takes an argument."""
    skipped = ("wagtailadmin_error_test", "wagtailadmin_logout", "wagtailadmin_password_reset_confirm")
    urls = set()
    for name, pattern, route in admin_patterns():
        if name.endswith(skipped) or route.startswith(OUR_OWN_VIEWS):
            continue
        values = argument_values(name, a)
        arguments = list(getattr(pattern.pattern, "converters", {})) or list(pattern.pattern.regex.groupindex)
        if with_arguments_only and not arguments:
            continue
        try:
            urls.add(reverse(name, kwargs={argument: values[argument] for argument in arguments}))
        except (KeyError, NoReverseMatch):
            continue
    urls |= set(bulk_action_urls(a))
    if with_arguments_only:
        return sorted(urls)
    urls |= {f"/admin/api/main/images/{a['image'].pk}/", f"/admin/api/main/documents/{a['lease'].pk}/",
             f"/admin/api/main/pages/{a['page'].pk}/", "/admin/api/main/pages/?search=Fromagerie",
             "/admin/pages/search/?q=Fromagerie", "/admin/images/?q=Devanture", "/admin/documents/?q=Bail",
             "/admin/choose-page/search/?q=Fromagerie", "/admin/reports/site-history/?export=csv"}
    return sorted(urls)


def bulk_action_urls(a):
    """Every bulk action (delete, unpublish, move, add to collection…) on one of Alice's things."""
    targets = [(a["page"], "wagtailcore", "page"), (a["image"], "wagtailimages", "image"),
               (a["lease"], Document._meta.app_label, Document._meta.model_name),
               (a["user"], a["user"]._meta.app_label, a["user"]._meta.model_name)]
    for target, app_label, model_name in targets:
        for action in bulk_action_registry.get_bulk_actions_for_model(app_label, model_name):
            yield f"/admin/bulk/{app_label}/{model_name}/{action.action_type}/?id={target.pk}"


def leaks(client, urls, secrets=SECRETS):
    """(url, secret) for each secret a page shows; (url, status) for server errors."""
    found = []
    for url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            found.append((url, response.status_code))
            continue
        content = (b"".join(response.streaming_content) if response.streaming else response.content).decode()
        found += [(url, secret) for secret in secrets if secret.lower() in content.lower()]
    return found


def test_walking_the_wagtail_admin_bob_finds_nothing_of_alices(client, team, alices):
    urls = admin_urls(alices)
    assert len(urls) > 150 and sum("/admin/bulk/" in url for url in urls) >= 10
    client.force_login(team["bob"])
    found = leaks(client, urls)
    assert found == [], "\n".join(map(str, found))


def state_of(a):
    """What Alice would miss if someone changed or deleted it."""
    page = Page.objects.filter(pk=a["page"].pk).values("live", "title", "draft_title", "locked", "path").first()
    return {
        "page": page,
        "page revisions": a["page"].revisions.count(),
        "workflow": WorkflowState.objects.filter(pk=a["workflow_state"].pk).values_list("status", flat=True).first(),
        "image": Image.objects.filter(pk=a["image"].pk).values_list("title", "collection_id").first(),
        "documents": list(Document.objects.order_by("pk").values_list("title", "collection_id")),
        "collection": Collection.objects.filter(pk=a["collection"].pk).values_list("name", flat=True).first(),
        "alice": a["user"].__class__.objects.filter(pk=a["user"].pk).values_list("is_active", "username").first(),
        "group": Group.objects.filter(pk=a["group"].pk).exists(),
    }


FORGED = {"title": "Piraté", "slug": "pirate", "name": "Piraté", "collection": "", "tags": "", "next": "",
          "parent_page": "", "new_parent_page": "", "action-publish": "1", "username": "alice", "is_active": "",
          "new_title": "Piraté", "new_slug": "pirate", "copy_subpages": "", "publish_copies": ""}


def forge_every_post(client, a):
    for url in admin_urls(a, with_arguments_only=True):
        client.post(url, FORGED)
    for action in ["delete", "unpublish", "move", "lock", "unlock"]:
        client.post(f"/admin/api/main/pages/{a['page'].pk}/action/{action}/",
                    {"destination_page_id": a["page"].get_parent().pk}, content_type="application/json")


def test_bob_can_change_or_delete_nothing_of_alices_through_any_wagtail_url(client, team, alices):
    before = state_of(alices)
    client.raise_request_exception = False
    client.force_login(team["bob"])
    forge_every_post(client, alices)
    assert state_of(alices) == before


def test_a_volunteer_deletes_or_unpublishes_no_vitrine_and_deletes_no_picture(client, team, alices):
    Page.objects.filter(pk=alices["page"].pk).update(locked=False, locked_by=None)
    alices["workflow_state"].cancel(user=team["staff"])
    before = state_of(alices)
    client.raise_request_exception = False
    client.force_login(team["volunteer"])
    page, image = alices["page"].pk, alices["image"].pk
    for url in [f"/admin/pages/{page}/delete/", f"/admin/pages/{page}/unpublish/",
                f"/admin/bulk/wagtailcore/page/delete/?id={page}", f"/admin/bulk/wagtailcore/page/unpublish/?id={page}",
                f"/admin/images/{image}/delete/", f"/admin/bulk/wagtailimages/image/delete/?id={image}",
                f"/admin/images/multiple/{image}/delete/"]:
        client.post(url, {"include_descendants": "on"})
    forge_every_post(client, alices)  # volunteers may edit and publish vitrines: nothing else may change
    after = state_of(alices)
    after["page"].update(title=before["page"]["title"])
    assert after == before
    # Wagtail offers neither action in the page's menus
    listing = client.get(f"/admin/pages/{alices['page'].get_parent().pk}/").content.decode()
    assert f"/admin/pages/{page}/delete/" not in listing and f"/admin/pages/{page}/unpublish/" not in listing


def test_a_volunteer_sees_no_document(client, team, alices):
    """Volunteers work on every vitrine and its pictures, but have no business with documents."""
    client.force_login(team["volunteer"])
    found = leaks(client, admin_urls(alices), secrets=["Bail de la fromagerie", "Compte rendu du bureau"])
    assert found == [], "\n".join(map(str, found))
    urls = ["/admin/api/main/documents/", f"/admin/api/main/documents/{alices['lease'].pk}/", "/admin/documents/",
            "/admin/documents/chooser/", "/admin/documents/chooser/results/?q=Bail",
            f"/admin/bulk/{Document._meta.app_label}/{Document._meta.model_name}/delete/?id={alices['lease'].pk}"]
    assert leaks(client, urls) == []


def test_a_merchant_neither_deletes_nor_unpublishes_their_own_vitrine(client, team, alices):
    Page.objects.filter(pk=alices["page"].pk).update(locked=False, locked_by=None)
    alices["workflow_state"].cancel(user=team["staff"])
    before = state_of(alices)
    client.force_login(team["alice"])
    page = alices["page"].pk
    response = client.get(f"/admin/pages/{page}/delete/")
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    for url in [f"/admin/pages/{page}/delete/", f"/admin/pages/{page}/unpublish/",
                f"/admin/bulk/wagtailcore/page/delete/?id={page}", f"/admin/bulk/wagtailcore/page/unpublish/?id={page}"]:
        client.post(url, {"include_descendants": "on"})
    for action in ["delete", "unpublish"]:
        client.post(f"/admin/api/main/pages/{page}/action/{action}/", {}, content_type="application/json")
    client.post(f"/admin/pages/{page}/privacy/", {"restriction_type": "password", "password": "cache-cache"})
    assert state_of(alices) == before
    assert not PageViewRestriction.objects.exists()
    editor = client.get(f"/admin/pages/{page}/edit/").content.decode()
    assert f"/admin/pages/{page}/delete/" not in editor and f"/admin/pages/{page}/unpublish/" not in editor


def test_the_association_unpublishes_then_deletes_a_vitrine(client, team, alices):
    Page.objects.filter(pk=alices["page"].pk).update(locked=False, locked_by=None)
    alices["workflow_state"].cancel(user=team["staff"])
    client.force_login(team["staff"])
    page = alices["page"].pk
    assert client.get(f"/admin/pages/{page}/delete/").status_code == 200
    client.post(f"/admin/pages/{page}/unpublish/")
    assert not Page.objects.get(pk=page).live
    client.post(f"/admin/pages/{page}/delete/")
    assert not Page.objects.filter(pk=page).exists()


def edit_form_data(page, **changes):
    """The vitrine's editor form as the browser posts it, publishing."""
    data = {
        "title": page.title, "slug": page.slug, "kind": page.kind_id or "", "introduction": page.introduction,
        "cover_image": "", "body": streamfield([]), "services": streamfield([]), "street": page.street,
        "postcode": page.postcode, "city": page.city, "phone": page.phone, "email": page.email,
        "website": page.website, "opening_hours": inline_formset([]), "seo_title": "", "search_description": "",
        "go_live_at": "", "expire_at": "", "comments": inline_formset([]), "action-publish": "action-publish",
    }
    data.update(changes)
    return nested_form_data(data)


def test_only_the_association_features_a_shop_on_the_home_page(client, team, alices):
    Page.objects.filter(pk=alices["page"].pk).update(locked=False, locked_by=None)
    alices["workflow_state"].cancel(user=team["staff"])
    page = ShopPage.objects.get(pk=alices["page"].pk)
    url = f"/admin/pages/{page.pk}/edit/"
    for user in [team["alice"], team["volunteer"]]:
        client.force_login(user)
        editor = client.get(url)
        assert "featured" not in editor.context["form"].fields
        assert "Mis en avant sur l'accueil" not in editor.content.decode()
        response = client.post(url, edit_form_data(page, featured="on", introduction=f"Par {user.username}"))
        assert response.status_code == 302, response.context["form"].errors if response.context else response
        page.refresh_from_db()
        assert page.introduction == f"Par {user.username}" and not page.featured
        assert not page.get_latest_revision_as_object().featured
    client.force_login(team["staff"])
    assert "featured" in client.get(url).context["form"].fields
    client.post(url, edit_form_data(page, featured="on", partner=page.partner_id))
    page.refresh_from_db()
    assert page.featured


REPORTS = ["/admin/reports/locked/", "/admin/reports/aging-pages/", "/admin/reports/site-history/",
           "/admin/reports/workflow/", "/admin/reports/workflow_tasks/", "/admin/reports/page-types-usage/",
           "/admin/reports/page-types-usage/results/", "/admin/workflows/list/", "/admin/workflows/tasks/index/",
           "/admin/pages/usage/shops_pages/shoppage/", "/admin/pages/usage/shops_pages/shoppage/results/"]


def test_reports_workflows_and_page_type_usage_are_the_associations(client, team, alices):
    for user in [team["bob"], team["alice"], team["volunteer"]]:
        client.force_login(user)
        for url in REPORTS:
            response = client.get(url)
            assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home"), (user, url)
        menu = client.get(reverse("wagtailadmin_home")).content.decode()
        assert "Rapports" not in menu and "/admin/reports/" not in menu and "/admin/workflows/" not in menu
    client.force_login(team["staff"])
    for url in REPORTS:
        if "/workflows/" not in url:  # managing workflows stays with superusers
            assert client.get(url).status_code == 200, url
    assert "Rapports" in client.get(reverse("wagtailadmin_home")).content.decode()


def test_only_the_association_schedules_a_vitrines_expiry(client, team, alices):
    """An expiry date unpublishes the vitrine later: the same as unpublishing it now."""
    Page.objects.filter(pk=alices["page"].pk).update(locked=False, locked_by=None)
    alices["workflow_state"].cancel(user=team["staff"])
    page = ShopPage.objects.get(pk=alices["page"].pk)
    url = f"/admin/pages/{page.pk}/edit/"
    client.force_login(team["alice"])
    assert "expire_at" not in client.get(url).context["form"].fields
    response = client.post(url, edit_form_data(page, expire_at="2027-01-01 09:00"))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live and page.expire_at is None and page.get_latest_revision_as_object().expire_at is None
    client.force_login(team["staff"])
    client.post(url, edit_form_data(page, expire_at="2027-01-01 09:00", partner=page.partner_id))
    page.refresh_from_db()
    assert page.expire_at is not None


def test_volunteers_lose_the_picture_rights_an_older_version_gave_them(team):
    volunteers = Group.objects.get(name=roles.VOLUNTEERS)
    root = Collection.get_first_root_node()
    roles._grant_collection(volunteers, root, roles.IMAGE_PERMISSIONS)  # as the roles were before
    roles.ensure_roles()  # run after every migrate
    kept = GroupCollectionPermission.objects.filter(group=volunteers, collection=root)
    assert sorted(kept.values_list("permission__codename", flat=True)) == ["add_image", "choose_image"]


def test_deleting_a_picture_takes_the_delete_right_not_just_having_uploaded_it(client, team, alices):
    """Wagtail lets an uploader delete their upload; a volunteer who put a picture in
    a shop's collection has given it to the shop: only the shop (and the association)
    delete it."""
    volunteer = team["volunteer"]
    given = Image.objects.create(title="Photo donnée", collection=alices["collection"], uploaded_by_user=volunteer,
                                 file=ImageFile(photo("donnee.jpg"), name="donnee.jpg"))
    client.force_login(volunteer)
    assert client.get(f"/admin/images/{given.pk}/").status_code == 200  # may still fix its title
    for url in [f"/admin/images/{given.pk}/delete/", f"/admin/bulk/wagtailimages/image/delete/?id={given.pk}",
                f"/admin/images/multiple/{given.pk}/delete/"]:
        client.post(url)
    assert Image.objects.filter(pk=given.pk).exists()
    client.force_login(team["alice"])
    client.post(f"/admin/images/{given.pk}/delete/")
    assert not Image.objects.filter(pk=given.pk).exists()
