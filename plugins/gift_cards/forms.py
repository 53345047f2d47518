import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from townmarket.money import euros

from .models import Kind

MAX_MESSAGE = 500


def plain(amount):
    """« 20 » for 20,00 and « 30.5 » for 30,50: short values for the radio buttons."""
    return format(amount.normalize(), "f")


class PurchaseForm(forms.Form):
    """A gift card for the basket: its amount (a preset or a free one within the
    offer's limits; a voucher's is its service's price), who receives it and when."""

    OTHER = "autre"

    amount_choice = forms.ChoiceField(label=_("Montant"), widget=forms.RadioSelect, required=False,
                                      error_messages={"invalid_choice": _("Choisissez l'un des montants proposés.")})
    other_amount = forms.DecimalField(
        label=_("Autre montant (en euros)"), required=False, max_digits=8, decimal_places=2, localize=True,
        error_messages={"invalid": _("Écrivez un montant en euros, par exemple 45 ou 45,50."),
                        "max_decimal_places": _("Le montant s'arrête aux centimes, par exemple 45,50."),
                        "max_digits": _("Ce montant est trop grand.")},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
    recipient_name = forms.CharField(label=_("Prénom et nom du destinataire"), max_length=100,
                                     error_messages={"required": _("Indiquez à qui vous offrez cette carte.")})
    recipient_email = forms.EmailField(
        label=_("E-mail du destinataire"),
        help_text=_("La carte lui est envoyée à cette adresse, avec un PDF à imprimer."),
        error_messages={"required": _("Indiquez l'adresse e-mail du destinataire."),
                        "invalid": _("Saisissez une adresse e-mail valide, par exemple marie.dupont@exemple.fr.")})
    message = forms.CharField(label=_("Votre message (facultatif)"), required=False, max_length=MAX_MESSAGE,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"max_length": _("Le message tient en 500 caractères au plus.")})
    send_on = forms.DateField(
        label=_("Date d'envoi"), help_text=_("Par exemple le jour d'un anniversaire. Au plus tôt, une fois payée."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"required": _("Choisissez la date d'envoi."),
                        "invalid": _("Choisissez une date, par exemple 24/12/2026.")})

    def __init__(self, *args, offer, price, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer, self.price = offer, price
        self.fields["send_on"].initial = timezone.localdate()
        if offer.kind == Kind.SERVICE:
            del self.fields["amount_choice"], self.fields["other_amount"]
            return
        choices = [(plain(amount), euros(amount)) for amount in offer.presets]
        if offer.free_amount:
            choices.append((self.OTHER, _("Autre montant")))
            self.fields["other_amount"].help_text = _("Entre %(min)s et %(max)s.") % {
                "min": euros(offer.min_amount), "max": euros(offer.max_amount)}
        else:
            del self.fields["other_amount"]
        self.fields["amount_choice"].choices = choices
        if len(choices) == 1:
            self.fields["amount_choice"].initial = choices[0][0]

    def clean_send_on(self):
        day = self.cleaned_data["send_on"]
        today = timezone.localdate()
        if day < today:
            raise forms.ValidationError(_("La date d'envoi ne peut pas être passée."))
        if day > today + datetime.timedelta(days=365):
            raise forms.ValidationError(_("La date d'envoi doit être dans l'année qui vient."))
        return day

    def clean(self):
        cleaned = super().clean()
        if self.offer.kind == Kind.SERVICE:
            cleaned["amount"] = self.price
            return cleaned
        choice = cleaned.get("amount_choice")
        if choice == self.OTHER:
            amount = cleaned.get("other_amount")
            if amount is None and "other_amount" not in self.errors:
                self.add_error("other_amount", _("Indiquez le montant de la carte."))
            elif amount is not None and not self.offer.min_amount <= amount <= self.offer.max_amount:
                self.add_error("other_amount", _("Choisissez un montant entre %(min)s et %(max)s.") % {
                    "min": euros(self.offer.min_amount), "max": euros(self.offer.max_amount)})
            cleaned["amount"] = amount
        elif choice:
            cleaned["amount"] = Decimal(choice)
        elif "amount_choice" not in self.errors:
            self.add_error("amount_choice", _("Choisissez le montant de la carte."))
        return cleaned


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code de la carte cadeau"), max_length=40,
        help_text=_("16 caractères, par exemple K7QM-2XHD-9RTB-4WZC (tirets et espaces facultatifs)."),
        error_messages={"required": _("Saisissez le code inscrit sur la carte.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}))


class RedeemForm(CodeForm):
    """« Encaisser une carte cadeau » in the shop: the code and the amount of the
    purchase (a voucher is redeemed whole: no amount)."""

    amount = forms.CharField(
        label=_("Montant de l'achat (€)"), required=False, max_length=20,
        help_text=_("Laissez vide pour un bon de prestation : il est utilisé en entier."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
    boutique = forms.ModelChoiceField(label=_("Commerce"), queryset=None, empty_label=None)

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["boutique"].queryset = partners.order_by("name")
        if partners.count() == 1:
            self.fields["boutique"].widget = forms.HiddenInput()
            self.fields["boutique"].initial = partners.first().pk


class AdjustForm(forms.Form):
    amount = forms.DecimalField(label=_("Montant de la correction (€)"), max_digits=8, decimal_places=2, localize=True,
                                help_text=_("Négatif pour retirer, par exemple -5,00."),
                                error_messages={"invalid": _("Saisissez un montant en euros, par exemple -5,00 ou 10."),
                                                "required": _("Indiquez le montant de la correction."),
                                                "max_decimal_places": _("Au plus deux chiffres après la virgule.")})
    reason = forms.CharField(label=_("Motif"), max_length=255,
                             error_messages={"required": _("Indiquez le motif de la correction.")})
