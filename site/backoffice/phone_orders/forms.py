import phonenumbers
from django import forms
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField
from phonenumber_field.phonenumber import PhoneNumber

from oscar_apps.checkout.forms import FRENCH_PHONE_REGIONS, CheckoutForm

MAX_QUANTITY = 99


class CustomerForm(forms.Form):
    """Who phoned: a name and a phone; an e-mail only if they have one."""

    first_name = forms.CharField(label=_("Prénom"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=100,
                                error_messages={"required": _("Indiquez le nom du client.")})
    phone = PhoneNumberField(
        label=_("Téléphone"), region="FR",
        error_messages={"required": _("Indiquez le numéro de téléphone du client."),
                        "invalid": _("Saisissez un numéro de téléphone valide, par exemple 06 12 34 56 78.")},
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}))
    email = forms.EmailField(
        label=_("Adresse e-mail (facultatif)"), required=False,
        help_text=_("Sans adresse, le client ne reçoit aucun e-mail : remettez-lui le récapitulatif imprimé."),
        error_messages={"invalid": _("Saisissez une adresse e-mail valide, par exemple marie.dupont@exemple.fr.")})

    def clean_phone(self):
        number = self.cleaned_data.get("phone")
        if number and phonenumbers.region_code_for_number(number) not in FRENCH_PHONE_REGIONS:
            raise forms.ValidationError(_(
                "Indiquez un numéro de téléphone français, par exemple 06 12 34 56 78 ou +33 6 12 34 56 78."))
        return number

    def as_session(self, user_id=None):
        data = self.cleaned_data
        return {"first_name": data["first_name"].strip(), "last_name": data["last_name"].strip(),
                "phone": data["phone"].as_e164, "email": data["email"].strip().lower(), "user_id": user_id}


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), max_length=100, required=False)

    def text(self):
        return self.cleaned_data["q"].strip() if self.is_valid() else ""


class QuantityForm(forms.Form):
    quantity = forms.IntegerField(min_value=1, max_value=MAX_QUANTITY, error_messages={
        "required": _("Indiquez une quantité entre 1 et 99."), "invalid": _("Indiquez une quantité entre 1 et 99."),
        "min_value": _("Indiquez une quantité entre 1 et 99."), "max_value": _("Indiquez une quantité entre 1 et 99.")})


class PhoneCheckoutForm(CheckoutForm):
    """The checkout's own form (each shop's fulfilment, the address when something is
    delivered, the payment), the customer's contact details coming from the first step."""

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.customer = customer
        for name in self.CONTACT_FIELDS:
            del self.fields[name]
        # The checkout's checkboxes, ticked by the staff member for what the customer said.
        if "adult_confirmed" in self.fields:
            field = self.fields["adult_confirmed"]
            field.label = _("Le client confirme avoir 18 ans ou plus")
            field.help_text = _("Le panier contient des boissons alcoolisées, dont la vente est interdite aux mineurs.")
            field.error_messages["required"] = _(
                "Le panier contient des boissons alcoolisées : le client doit confirmer avoir 18 ans ou plus, "
                "sinon retirez-les du panier.")
        if "accept_terms" in self.fields:
            field = self.fields["accept_terms"]
            field.label = _("Le client a été informé des conditions générales de vente")
            field.error_messages["required"] = _(
                "Informez le client des conditions générales de vente, puis cochez la case.")

    def contact_fields(self):
        return []

    def clean(self):
        customer = self.customer
        self.cleaned_data.update(first_name=customer["first_name"], last_name=customer["last_name"],
                                 email=customer["email"], phone=PhoneNumber.from_string(customer["phone"]))
        return super().clean()
