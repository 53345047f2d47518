from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "backoffice"
    verbose_name = _("Back office du marché")

    def ready(self):
        from . import file_permissions, roles, signals  # noqa: F401  (signals connects its receivers)

        file_permissions.register()

        post_migrate.connect(roles.on_post_migrate, sender=self)
