import datetime as dt
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from townmarket import money

from .models import DoorPayment, ShopDelivery


class ShopDeliveryForm(forms.ModelForm):
    class Meta:
        model = ShopDelivery
        fields = ["click_and_collect", "local_delivery", "postal", "payment_before_sending", "preparation_days"]
        widgets = {"preparation_days": forms.NumberInput(attrs={"min": 0, "max": 30, "inputmode": "numeric"})}

    def clean_preparation_days(self):
        days = self.cleaned_data["preparation_days"]
        if days > 30:
            raise forms.ValidationError(_("Indiquez un délai de 30 jours au plus."))
        return days

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(name) for name in ("click_and_collect", "local_delivery", "postal")):
            raise forms.ValidationError(_("Proposez au moins un mode de retrait ou de livraison à vos clients."))
        return cleaned


class RoundDateForm(forms.Form):
    date = forms.DateField(
        label=_("Date de la tournée"), input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Choisissez une date."),
                        "invalid": _("Saisissez une date valide, par exemple 26/11/2026.")},
    )

    def clean_date(self):
        day = self.cleaned_data["date"]
        if not dt.date(2000, 1, 1) <= day <= dt.date(2100, 1, 1):
            raise forms.ValidationError(_("Saisissez une date valide, par exemple 26/11/2026."))
        return day


class MarkStopForm(forms.Form):
    status = forms.ChoiceField(choices=[("livre", _("Livré")), ("absent", _("Absent"))],
                               error_messages={"invalid_choice": _("Choisissez « Livré » ou « Absent »."),
                                               "required": _("Choisissez « Livré » ou « Absent ».")})


AMOUNT_ERRORS = {
    "invalid": _("Saisissez un montant en euros, par exemple 12,50."),
    "max_decimal_places": _("Au plus deux chiffres après la virgule."),
    "max_digits": _("Ce montant est trop grand."),
    "max_whole_digits": _("Ce montant est trop grand."),
    "min_value": _("Le montant doit être supérieur à zéro."),
    "required": _("Indiquez le montant reçu."),
}


class DoorPaymentForm(forms.Form):
    """« Payé » (amount up to what is due, and the means) or « Pas payé », for one shop
    part of a stop."""

    outcome = forms.ChoiceField(choices=DoorPayment.Outcome.choices, error_messages={
        "invalid_choice": _("Choisissez « Payé » ou « Pas payé »."),
        "required": _("Choisissez « Payé » ou « Pas payé ».")})
    amount = forms.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"), localize=True,
                                required=False, error_messages=AMOUNT_ERRORS)
    means = forms.ChoiceField(choices=DoorPayment.Means.choices[:3], required=False, error_messages={
        "invalid_choice": _("Choisissez espèces, chèque ou carte.")})
    means_required = _("Choisissez espèces, chèque ou carte.")

    def __init__(self, *args, due, **kwargs):
        super().__init__(*args, **kwargs)
        self.due = due

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") != DoorPayment.Outcome.PAID:
            return cleaned
        amount = cleaned.get("amount")
        if amount is None and "amount" not in self.errors:
            self.add_error("amount", AMOUNT_ERRORS["required"])
        elif amount is not None and amount > self.due:
            self.add_error("amount", _("Le montant ne peut pas dépasser ce qui est dû (%(due)s).")
                           % {"due": money.euros(self.due)})
        if not cleaned.get("means") and "means" not in self.errors:
            self.add_error("means", self.means_required)
        return cleaned

    def first_error(self):
        return next(iter(error for errors in self.errors.values() for error in errors))


class PaidBeforeSendingForm(DoorPaymentForm):
    """The shop received the cheque or the transfer for a parcel: always « Payé »."""

    outcome = forms.CharField(required=False)
    means = forms.ChoiceField(
        choices=[(DoorPayment.Means.CHEQUE, _("Chèque")), (DoorPayment.Means.TRANSFER, _("Virement")),
                 (DoorPayment.Means.CASH, _("Espèces")), (DoorPayment.Means.CARD, _("Carte bancaire"))],
        required=False, error_messages={"invalid_choice": _("Choisissez chèque, virement, espèces ou carte.")})
    means_required = _("Choisissez chèque, virement, espèces ou carte.")

    def clean_outcome(self):
        return DoorPayment.Outcome.PAID
