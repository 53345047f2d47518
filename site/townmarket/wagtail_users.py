"""Wagtail's Users pages (/admin/users/), with one e-mail address per account.
settings.INSTALLED_APPS lists townmarket.wagtail_users_app.UsersAppConfig in place of
"wagtail.users" (Wagtail's documented way to customise the user forms)."""
from django import forms
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .accounts import EMAIL_TAKEN, email_taken_by_another


class UniqueEmailMixin:
    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email_taken_by_another(email, self.instance):
            raise forms.ValidationError(EMAIL_TAKEN)
        return email


class UniqueEmailUserCreationForm(UniqueEmailMixin, UserCreationForm):
    pass


class UniqueEmailUserEditForm(UniqueEmailMixin, UserEditForm):
    pass


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return UniqueEmailUserEditForm if for_update else UniqueEmailUserCreationForm
