default_app_config = 'oscar_apps.partner.apps.PartnerConfig'
