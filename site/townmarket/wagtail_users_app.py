from wagtail.users.apps import WagtailUsersAppConfig


class UsersAppConfig(WagtailUsersAppConfig):
    """wagtail.users with the user forms of townmarket.wagtail_users (no model import here:
    Django loads this module while it reads INSTALLED_APPS)."""

    user_viewset = "townmarket.wagtail_users.UserViewSet"
