"""The Wagtail admin's own account pages, made safe:

- the password-reset e-mail links to the site's public address (townmarket.absolute_urls,
  settings.WAGTAILADMIN_USER_PASSWORD_RESET_FORM), never to the request's Host header
  (password-reset poisoning) nor to the django.contrib.sites Site;
- the e-mail address is changed in a panel of ours that refuses another account's
  address (Wagtail's « Nom et e-mail » panel has no such check, so
  settings.WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False takes the field out of it;
  the panel is registered in townmarket/wagtail_hooks.py)."""
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import PasswordResetForm
from wagtail.admin.views.account import BaseSettingsPanel, email_management_enabled

from .absolute_urls import site_root_url
from .accounts import EMAIL_TAKEN, email_taken_by_another
from .outbox import filed_under
from .town import sender, town


class AdminPasswordResetForm(PasswordResetForm):
    def save(self, *args, domain_override=None, use_https=False, request=None, **kwargs):
        scheme, domain = site_root_url(request).split("://", 1)
        identity = town(request)
        kwargs["from_email"] = kwargs.get("from_email") or sender(identity)  # the town's sender name
        with filed_under(identity.site_id):  # its association's « E-mails non envoyés »
            return super().save(*args, domain_override=domain, use_https=scheme == "https", request=request,
                                **kwargs)


class AccountEmailForm(forms.ModelForm):
    email = forms.EmailField(required=True, label=_("Adresse e-mail"))

    class Meta:
        model = get_user_model()
        fields = ["email"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email_taken_by_another(email, self.instance):
            raise forms.ValidationError(EMAIL_TAKEN)
        return email


class AccountEmailPanel(BaseSettingsPanel):
    name = "email"
    title = _("Adresse e-mail")
    order = 110  # just after Wagtail's name panel (100)
    form_class = AccountEmailForm

    def is_active(self):
        return not email_management_enabled()  # otherwise Wagtail's own panel has the field
