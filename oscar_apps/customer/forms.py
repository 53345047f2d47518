from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _
from oscar.apps.customer.forms import *  # noqa: F401,F403
from oscar.apps.customer.forms import EmailUserCreationForm as CoreEmailUserCreationForm
from oscar.apps.customer.forms import OrderSearchForm as CoreOrderSearchForm
from oscar.apps.customer.forms import UserForm as CoreUserForm
from oscar.apps.customer.utils import normalise_email
from phonenumber_field.formfields import PhoneNumberField

from townmarket.accounts import EMAIL_TAKEN, email_taken_by_another
from townmarket.dates import check_in_range

from . import registration


class RegistrationForm(CoreEmailUserCreationForm):
    """Only the address: the password is chosen from the link e-mailed to it
    (customer.registration), and whether the address has an account is never said.
    (Oscar's EmailUserCreationForm stays: the dashboard's NewUserForm extends it.)"""

    password1 = None
    password2 = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _("Nous vous envoyons un lien pour choisir votre mot de passe.")

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])


class AccountCreationForm(SetPasswordForm):
    """The registration link's page: the password, and optionally the phone number the
    customer gave when ordering by phone, so that those orders join the account."""

    phone = PhoneNumberField(
        label=_("Téléphone (facultatif)"), region="FR", required=False,
        help_text=_("Vous avez commandé par téléphone ? Indiquez le numéro donné alors : "
                    "ces commandes rejoindront votre compte."),
        error_messages={"invalid": _("Saisissez un numéro de téléphone valide, par exemple 06 12 34 56 78.")},
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}))
    order_number = forms.CharField(
        label=_("Numéro d'une de ces commandes (facultatif)"), required=False, max_length=128,
        help_text=_("Il figure sur le récapitulatif remis avec la commande. Il prouve que ces commandes sont "
                    "les vôtres : un numéro de téléphone seul ne suffit pas."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))

    def clean(self):
        """A phone joins its orders only with the number of one of them (a number is easy
        to know: a neighbour's, a relative's; the summary is in the customer's hands)."""
        cleaned = super().clean()
        phone, number = cleaned.get("phone"), cleaned.get("order_number", "").strip()
        if phone and not number:
            self.add_error("order_number", _("Indiquez aussi le numéro d'une de ces commandes, inscrit sur le "
                                             "récapitulatif, ou laissez le téléphone vide."))
        elif number and not phone:
            self.add_error("phone", _("Indiquez le téléphone donné lors de cette commande."))
        elif phone and not registration.phone_order_exists(phone, number):
            self.add_error("order_number", _("Aucune commande téléphonique ne correspond à ce numéro et à ce "
                                             "téléphone. Vérifiez-les sur le récapitulatif."))
            self.claim_refused = True
        return cleaned


class UserForm(CoreUserForm):
    """The profile form: an address already used by another account is refused."""

    def clean_email(self):
        email = normalise_email(self.cleaned_data["email"])
        if email_taken_by_another(email, self.user):
            raise forms.ValidationError(EMAIL_TAKEN)
        return email


ProfileForm = UserForm  # no AUTH_PROFILE_MODULE here, as in Oscar's own module


class OrderSearchForm(CoreOrderSearchForm):
    """The order history's filter, its dates bounded (0001-01-01 overflowed Oscar's
    time-zone conversion: a server error)."""

    def clean_date_from(self):
        check_in_range(self.cleaned_data.get("date_from"))
        return self.cleaned_data.get("date_from")

    def clean_date_to(self):
        check_in_range(self.cleaned_data.get("date_to"))
        return self.cleaned_data.get("date_to")
