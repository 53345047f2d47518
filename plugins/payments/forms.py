from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .banking import clean_bic, clean_iban
from .models import InStorePayment, ShopCommission, ShopPayoutAccount

AMOUNT_ERRORS = {
    "invalid": _("Saisissez un montant en euros, par exemple 12,50."),
    "max_decimal_places": _("Au plus deux chiffres après la virgule."),
    "max_digits": _("Ce montant est trop grand."),
    "max_whole_digits": _("Ce montant est trop grand."),
    "min_value": _("Le montant doit être supérieur à zéro."),
    "required": _("Indiquez le montant."),
}


def euros_field(label, **kwargs):
    return forms.DecimalField(label=label, max_digits=12, decimal_places=2, min_value=Decimal("0.01"), localize=True,
                              error_messages=AMOUNT_ERRORS, **kwargs)


class RefundForm(forms.Form):
    amount = euros_field(_("Montant à rembourser (€)"))
    reason = forms.CharField(label=_("Motif (vu par le client)"), max_length=255,
                             error_messages={"required": _("Indiquez le motif du remboursement.")})


class InStorePaymentForm(forms.ModelForm):
    amount = euros_field(_("Montant reçu (€)"))

    class Meta:
        model = InStorePayment
        fields = ["amount", "means"]


class CommissionForm(forms.ModelForm):
    rate = forms.DecimalField(label=_("Taux de commission (%)"), max_digits=5, decimal_places=2, localize=True,
                              min_value=Decimal("0"), max_value=Decimal("100"),
                              error_messages={"invalid": _("Saisissez un pourcentage, par exemple 2,5."),
                                              "min_value": _("Le taux ne peut pas être négatif."),
                                              "max_value": _("Le taux ne peut pas dépasser 100 %%."),
                                              "max_decimal_places": _("Au plus deux chiffres après la virgule."),
                                              "max_digits": _("Ce taux est trop grand."),
                                              "max_whole_digits": _("Ce taux est trop grand."),
                                              "required": _("Indiquez le taux.")})

    class Meta:
        model = ShopCommission
        fields = ["rate"]


class ShopPayoutAccountForm(forms.ModelForm):
    """A shop's bank details: the IBAN checked (country, length, check digits) before anything is saved."""

    class Meta:
        model = ShopPayoutAccount
        fields = ["holder", "iban", "bic"]
        error_messages = {
            "holder": {"required": _("Indiquez le titulaire du compte."),
                       "max_length": _("Au plus 70 caractères, comme sur le RIB.")},
            "iban": {"required": _("Indiquez l'IBAN du compte.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Typed with spaces (« FR76 3000 … »): longer than the 34 characters kept.
        self.fields["iban"].max_length = self.fields["iban"].widget.attrs["maxlength"] = 50
        self.fields["iban"].validators = []
        self.fields["bic"].max_length = self.fields["bic"].widget.attrs["maxlength"] = 20
        self.fields["bic"].validators = []
        self.fields["iban"].widget.attrs.update(autocomplete="off", spellcheck="false")

    def clean_iban(self):
        return clean_iban(self.cleaned_data["iban"])

    def clean_bic(self):
        return clean_bic(self.cleaned_data["bic"])
