from django import forms
from django.conf import settings
from oscar.apps.customer.forms import *  # noqa: F401,F403
from oscar.apps.customer.forms import EmailUserCreationForm as CoreEmailUserCreationForm
from oscar.apps.customer.forms import PasswordResetForm as CorePasswordResetForm
from oscar.apps.customer.forms import UserForm as CoreUserForm
from oscar.apps.customer.utils import get_password_reset_url, normalise_email
from oscar.core.loading import get_class

from townmarket.accounts import EMAIL_TAKEN, email_taken_by_another

CustomerDispatcher = get_class("customer.utils", "CustomerDispatcher")


class RegistrationForm(CoreEmailUserCreationForm):
    """Only the address: the password is chosen from the link e-mailed to it
    (customer.registration), and whether the address has an account is never said.
    (Oscar's EmailUserCreationForm stays: the dashboard's NewUserForm extends it.)"""

    password1 = None
    password2 = None

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])


class PasswordResetForm(CorePasswordResetForm):
    """Oscar's reset e-mail, with a link to the host and scheme the request came to
    rather than to the django.contrib.sites Site's domain (example.com)."""

    def save(self, *args, domain_override=None, request=None, **kwargs):
        site = {"name": settings.OSCAR_SHOP_NAME, "domain": request.get_host()}
        for user in self.get_users(self.cleaned_data["email"]):
            CustomerDispatcher().send_password_reset_email_for_user(user, {
                "user": user, "site": site, "request": request,
                "reset_url": request.build_absolute_uri(get_password_reset_url(user)),
            })


class UserForm(CoreUserForm):
    """The profile form: an address already used by another account is refused."""

    def clean_email(self):
        email = normalise_email(self.cleaned_data["email"])
        if email_taken_by_another(email, self.user):
            raise forms.ValidationError(EMAIL_TAKEN)
        return email


ProfileForm = UserForm  # no AUTH_PROFILE_MODULE here, as in Oscar's own module
