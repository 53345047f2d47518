from django.apps import AppConfig


class ShopsPagesConfig(AppConfig):
    name = "shops_pages"
    verbose_name = "Vitrines des commerces"
    default_auto_field = "django.db.models.AutoField"
