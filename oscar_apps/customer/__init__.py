default_app_config = 'oscar_apps.customer.apps.CustomerConfig'
