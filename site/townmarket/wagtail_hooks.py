from wagtail import hooks

from .admin_account import AccountEmailPanel


@hooks.register("register_account_settings_panel")
def account_email_panel(request, user, profile):
    return AccountEmailPanel(request, user, profile)
