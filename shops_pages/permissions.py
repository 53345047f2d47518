"""Who may take a vitrine off the site, and who may feature it on the home page.

Wagtail lets anybody who may edit and publish a page with no children also
unpublish, delete and move it, and hide it behind a password: a merchant could close
their own shop and a volunteer any shop. On the marketplace's vitrines and their
directory those actions are the association's (STACK-NOTES, "Found on the running
product")."""
from wagtail.admin.panels import PublishingPanel
from wagtail.models import Page, PagePermissionTester

CLOSE_SHOPS = "shops_pages.close_shop"
FEATURE_SHOPS = "shops_pages.feature_shop"


class ClosedByAssociationTester(PagePermissionTester):
    """Wagtail's page permissions, with taking the page off the site kept for the
    users holding CLOSE_SHOPS (the association; superusers hold every permission)."""

    def may_close(self):
        return self.user.is_active and self.user.has_perm(CLOSE_SHOPS)

    def can_delete(self, ignore_bulk=False):  # also decides moving (can_move)
        return self.may_close() and super().can_delete(ignore_bulk)

    def can_unpublish(self):
        return self.may_close() and super().can_unpublish()

    def can_set_view_restrictions(self):
        return self.may_close() and super().can_set_view_restrictions()


class ClosedByAssociation:
    """Page mixin: Wagtail asks `permissions_for_user` in every view, bulk action and
    admin API action before it deletes, unpublishes, moves or restricts a page."""

    def permissions_for_user(self, user):
        return ClosedByAssociationTester(user, self)


def settings_panels_closed_by_association():
    """Wagtail's settings tab, with the expiry date (a scheduled unpublish) left out of
    the form of users who may not close shops: a forged POST cannot set it either."""
    scheduling = PublishingPanel()
    for child in scheduling.children:
        if child.field_name == "expire_at":
            child.permission = CLOSE_SHOPS
    return [scheduling, *Page.settings_panels[1:]]
