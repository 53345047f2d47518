"""Who may delete an image or a document.

Wagtail's policy for files in collections treats "delete" as "change", and grants
"change" to whoever uploaded the file: a volunteer could delete every picture they
ever put in a shop's collection, a user with "change" could delete without "delete".
Here deleting asks for the collection's own "delete" permission (a shop's group on its
collection, the association everywhere); everything else stays Wagtail's."""
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
from wagtail.permissions import register_permission_policy


class DeleteTakesTheDeleteRight(CollectionOwnershipPermissionPolicy):
    def user_has_permission(self, user, action):
        if action == "delete":
            return self._check_perm(user, ["delete"])
        return super().user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        others = set(actions) - {"delete"}
        if len(others) < len(set(actions)) and self._check_perm(user, ["delete"], collection=instance.collection):
            return True
        return bool(others) and super().user_has_any_permission_for_instance(user, others, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        others = set(actions) - {"delete"}
        if len(others) == len(set(actions)) or (user.is_active and user.is_superuser):
            return super().instances_user_has_any_permission_for(user, actions)
        deletable = self.model._default_manager.filter(collection__in=self._collections_with_perm(user, ["delete"]))
        return deletable | super().instances_user_has_any_permission_for(user, others) if others else deletable


def register():
    """Replace Wagtail's policies for images and documents (from AppConfig.ready)."""
    for model, auth_model in [(get_image_model(), "wagtailimages.Image"),
                              (get_document_model(), "wagtaildocs.Document")]:
        policy = DeleteTakesTheDeleteRight(model, auth_model=auth_model, owner_field_name="uploaded_by_user")
        register_permission_policy(model, policy)
