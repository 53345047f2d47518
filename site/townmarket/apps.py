from django.apps import AppConfig


class TownmarketConfig(AppConfig):
    name = "townmarket"
    verbose_name = "Marché de la ville"

    def ready(self):
        from django.core.signals import setting_changed
        from django.db.backends.signals import connection_created

        from . import db  # noqa: F401  registers UNACCENT on SQLite connections
        from .page_cache import forget_on_setting_change, install_write_watch

        connection_created.connect(install_write_watch, dispatch_uid="page_cache_write_watch")  # cached pages dropped on change
        setting_changed.connect(forget_on_setting_change, dispatch_uid="page_cache_setting_changed")

        follow_the_site_in_wagtail_emails()


def follow_the_site_in_wagtail_emails():
    """Wagtail's e-mails (moderation notifications, the admin's password reset) build
    their links on settings.WAGTAILADMIN_BASE_URL, read by wagtailadmin_tags'
    get_admin_base_url() when each e-mail is rendered. Wagtail offers no hook for it,
    so that one name is pointed at the default Site's address (townmarket.absolute_urls):
    the association changes it in Settings > Sites, no setting to keep in step."""
    from wagtail.admin.templatetags import wagtailadmin_tags

    from .absolute_urls import site_root_url

    wagtailadmin_tags.get_admin_base_url = site_root_url
