import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from backoffice.models import ShopApplication


def luhn_valid(digits):
    total = 0
    for index, digit in enumerate(reversed(digits)):
        value = int(digit)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def clean_siret(value):
    digits = re.sub(r"[\s.-]", "", value or "")
    if not re.fullmatch(r"\d{14}", digits):
        raise ValidationError(_("Le SIRET compte 14 chiffres (il figure sur votre extrait Kbis ou l'avis de situation Insee)."))
    if not luhn_valid(digits):
        raise ValidationError(_("Ce numéro SIRET n'est pas valide : vérifiez les chiffres."))
    return digits


class ShopApplicationForm(forms.ModelForm):
    # A field people never see: robots that fill every input give themselves away.
    website = forms.CharField(required=False, label=_("Laissez ce champ vide"),
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))
    siret = forms.CharField(label=_("SIRET"), max_length=20, help_text=_("14 chiffres, sur votre extrait Kbis."),
                            error_messages={"required": _("Indiquez votre numéro SIRET.")},
                            widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    phone = PhoneNumberField(label=_("Téléphone"), region="FR",
                             error_messages={"invalid": _("Indiquez un numéro de téléphone français, par exemple 03 80 12 34 56.")})

    class Meta:
        model = ShopApplication
        fields = ["shop_name", "kind", "siret", "street", "postcode", "city", "contact_name", "phone", "email", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "shop_name": {"required": _("Indiquez le nom de votre commerce.")},
            "street": {"required": _("Indiquez l'adresse du commerce.")},
            "postcode": {"required": _("Indiquez le code postal.")},
            "city": {"required": _("Indiquez la commune.")},
            "contact_name": {"required": _("Indiquez votre nom.")},
            "email": {"required": _("Indiquez votre e-mail."), "invalid": _("Cette adresse e-mail n'est pas valide.")},
        }

    autocomplete = {"shop_name": "organization", "street": "street-address", "postcode": "postal-code",
                    "city": "address-level2", "contact_name": "name", "phone": "tel", "email": "email"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].required = True
        self.fields["kind"].error_messages["required"] = _("Choisissez le type de commerce.")
        for name, value in self.autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        for name in self.Meta.fields:
            self.fields[name].widget.attrs["class"] = "form-control"

    def clean_siret(self):
        return clean_siret(self.cleaned_data.get("siret"))

    def clean_postcode(self):
        postcode = (self.cleaned_data.get("postcode") or "").strip()
        if not re.fullmatch(r"\d{5}", postcode):
            raise ValidationError(_("Le code postal compte 5 chiffres."))
        return postcode

    @property
    def is_spam(self):
        return bool(self.data.get("website"))

    @property
    def visible_application_fields(self):
        return [self[name] for name in self.Meta.fields]


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Motif du refus (envoyé au demandeur)"), widget=forms.Textarea(attrs={"rows": 4}),
                             max_length=2000, error_messages={"required": _("Expliquez en quelques mots pourquoi la demande est refusée.")})
