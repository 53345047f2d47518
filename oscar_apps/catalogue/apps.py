import oscar.apps.catalogue.apps as apps


class CatalogueConfig(apps.CatalogueConfig):
    name = 'oscar_apps.catalogue'

    def ready(self):
        super().ready()  # Oscar's own receivers ("from . import receivers" is Oscar's package)
        from . import receivers  # noqa: F401  the category address cache, forgotten on change
        from . import thumbnails  # noqa: F401  product photos' thumbnails, made at upload
