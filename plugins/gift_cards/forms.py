import datetime
import re
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


AMOUNT_ERRORS = {"invalid": _("Écrivez un montant en euros, par exemple 20 ou 25,50."),
                 "max_decimal_places": _("Le montant s'arrête aux centimes, par exemple 25,50."),
                 "max_digits": _("Ce montant est trop grand."),
                 "max_whole_digits": _("Ce montant est trop grand."),
                 "min_value": _("Le montant doit être d'au moins 1,00 €."),
                 "max_value": _("Le montant ne peut dépasser 5 000,00 €.")}
MAX_CARD = Decimal("5000")
PRESETS_ERROR = _("Écrivez des montants en euros séparés par des virgules, par exemple : 20, 30, 50.")
PRESET = re.compile(r"^\d{1,4}(?:[.,]\d{1,2})?$")


def amount_field(label, help_text=""):
    return forms.DecimalField(label=label, help_text=help_text, required=False, max_digits=8, decimal_places=2,
                              localize=True, min_value=Decimal("1"), max_value=MAX_CARD, error_messages=AMOUNT_ERRORS,
                              widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))


def parse_presets(text):
    """« 20, 25,50 ; 50 » → [20.00, 25.50, 50.00]: amounts separated by a comma and a
    space, a semicolon or spaces; a comma inside a number is its decimal comma."""
    pieces = [piece.rstrip(",") for piece in text.replace(";", " ").split()]
    if not all(PRESET.match(piece) for piece in pieces):
        raise forms.ValidationError(PRESETS_ERROR)
    amounts = sorted({Decimal(piece.replace(",", ".")).quantize(Decimal("0.01")) for piece in pieces})
    if any(amount < 1 or amount > MAX_CARD for amount in amounts):
        raise forms.ValidationError(_("Chaque montant proposé va de 1,00 € à 5 000,00 €."))
    return amounts


class OfferForm(forms.Form):
    """« Cartes cadeaux et bons »: a shop's card or a voucher for one of its services
    (the association also: any shop's, and the town card). The shop and the service
    are chosen among the user's own only; kind and shop are fixed once created."""

    kind = forms.ChoiceField(label=_("Type d'offre"), choices=Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": _("Choisissez le type d'offre."),
                                             "invalid_choice": _("Choisissez le type d'offre.")})
    partner = forms.ModelChoiceField(
        label=_("Commerce"), queryset=None, required=False, empty_label=_("Choisissez le commerce"),
        help_text=_("Inutile pour la carte de la ville, vendue par l'association."),
        error_messages={"invalid_choice": _("Choisissez l'un de vos commerces.")})
    title = forms.CharField(label=_("Nom de l'offre"), max_length=120,
                            help_text=_("Tel qu'il s'affiche sur la boutique, par exemple « Bon pour un massage 1 h »."),
                            error_messages={"required": _("Donnez un nom à cette offre."),
                                            "max_length": _("Le nom tient en 120 caractères au plus.")})
    description = forms.CharField(label=_("Description (facultative)"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  error_messages={"max_length": _("La description tient en 2000 caractères au plus.")})
    service = forms.ModelChoiceField(
        label=_("Prestation offerte (bon)"), queryset=None, required=False, empty_label=_("Aucune (carte du commerce)"),
        help_text=_("Pour un bon : la prestation offerte ; le bon coûte le prix de la prestation."),
        error_messages={"invalid_choice": _("Choisissez une prestation de votre commerce.")})
    preset_amounts = forms.CharField(
        label=_("Montants proposés (€)"), required=False, max_length=200,
        help_text=_("Pour une carte : séparés par des virgules, par exemple : 20, 30, 50 (centimes : 25,50)."))
    min_amount = amount_field(_("Montant libre : minimum (€)"), _("Laissez vide pour ne proposer que les montants ci-dessus."))
    max_amount = amount_field(_("Montant libre : maximum (€)"))
    validity_months = forms.IntegerField(
        label=_("Validité (mois)"), required=False, min_value=1, max_value=60,
        help_text=_("De 1 à 60 mois. Vide : la durée fixée par l'association."),
        error_messages={"invalid": _("La validité va de 1 à 60 mois."), "min_value": _("La validité va de 1 à 60 mois."),
                        "max_value": _("La validité va de 1 à 60 mois.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    is_active = forms.BooleanField(label=_("En vente sur la boutique"), required=False, initial=True)

    def __init__(self, *args, partners, services, town_card_allowed, offer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.town_card_allowed, self.offer = town_card_allowed, offer
        self.fields["partner"].queryset = partners.order_by("name")
        self.fields["service"].queryset = services
        if not town_card_allowed:
            self.fields["kind"].choices = [choice for choice in Kind.choices if choice[0] != Kind.TOWN]
            self.fields["partner"].help_text = ""
        if offer is not None:  # kind and seller stay: cards may already be out
            self.fields["kind"].disabled = self.fields["partner"].disabled = True
            self.fields["kind"].choices = Kind.choices
            self.fields["partner"].queryset = partners.model.objects.filter(stockrecords__product=offer.product_id)
        elif partners.count() == 1:
            self.fields["partner"].initial = partners.first().pk

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        if kind == Kind.TOWN and not self.town_card_allowed and self.offer is None:
            raise forms.ValidationError(_("Seule l'association vend la carte de la ville."))
        return kind

    def clean_preset_amounts(self):
        return parse_presets(self.cleaned_data["preset_amounts"])

    def full_clean(self):
        # A forged « ville » reaches clean_kind with its own message, not « invalid choice ».
        offered = self.fields["kind"].choices
        if self.is_bound and not self.town_card_allowed and self.offer is None:
            self.fields["kind"].choices = Kind.choices
        super().full_clean()
        self.fields["kind"].choices = offered

    def clean(self):
        cleaned = super().clean()
        kind, partner, service = cleaned.get("kind"), cleaned.get("partner"), cleaned.get("service")
        if kind is None:
            return cleaned
        if kind != Kind.TOWN and partner is None and "partner" not in self.errors:
            self.add_error("partner", _("Choisissez le commerce qui vend cette offre."))
        if kind == Kind.SERVICE:
            if service is None and "service" not in self.errors:
                self.add_error("service", _("Choisissez la prestation offerte par ce bon."))
            elif service is not None and partner is not None and not service.stockrecords.filter(partner=partner).exists():
                self.add_error("service", _("La prestation doit être vendue par le commerce choisi."))
            cleaned.update(preset_amounts=[], min_amount=None, max_amount=None)
            return cleaned
        cleaned["service"] = None
        presets, low, high = cleaned.get("preset_amounts"), cleaned.get("min_amount"), cleaned.get("max_amount")
        if any(name in self.errors for name in ("preset_amounts", "min_amount", "max_amount")):
            return cleaned
        if (low is None) != (high is None):
            self.add_error(None, _("Indiquez le minimum et le maximum du montant libre, ou aucun des deux."))
        elif low is not None and low > high:
            self.add_error("max_amount", _("Le maximum doit être supérieur au minimum."))
        elif not presets and low is None:
            self.add_error("preset_amounts", _("Proposez au moins un montant ou un montant libre."))
        elif low is not None and any(not low <= amount <= high for amount in presets):
            self.add_error("preset_amounts", _("Les montants proposés doivent être entre %(min)s et %(max)s.")
                           % {"min": euros(low), "max": euros(high)})
        return cleaned

    def offer_fields(self):
        data = self.cleaned_data
        return {"preset_amounts": " ".join(plain(amount) for amount in data["preset_amounts"]),
                "min_amount": data["min_amount"], "max_amount": data["max_amount"], "service": data["service"],
                "validity_months": data["validity_months"]}

    def starting_price(self):
        data = self.cleaned_data
        amounts = list(data["preset_amounts"]) + ([data["min_amount"]] if data["min_amount"] is not None else [])
        return min(amounts) if amounts else Decimal("0.00")
