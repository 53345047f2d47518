default_app_config = 'oscar_apps.catalogue.apps.CatalogueConfig'
