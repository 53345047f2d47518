default_app_config = 'oscar_apps.checkout.apps.CheckoutConfig'
