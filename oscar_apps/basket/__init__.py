default_app_config = 'oscar_apps.basket.apps.BasketConfig'
