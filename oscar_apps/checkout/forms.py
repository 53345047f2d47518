import re

import phonenumbers
from django import forms
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

# Metropolitan France, Corsica (20xxx) and overseas (97x, 98x): five digits, 01 to 98.
FRENCH_POSTCODE = re.compile(r"^(?:0[1-9]|[1-8]\d|9[0-8])\d{3}$")

# Numbering plans of France and its overseas departments and collectivities.
FRENCH_PHONE_REGIONS = {"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "WF", "PF", "NC"}


def normalise_postcode(value):
    """« 21 130 » → « 21130 »; the value unchanged (stripped) when it is not a French postcode."""
    compact = re.sub(r"\s+", "", value or "")
    return compact if FRENCH_POSTCODE.match(compact) else (value or "").strip()


def is_french_postcode(value):
    return bool(FRENCH_POSTCODE.match(value or ""))


class CheckoutForm(forms.Form):
    """Contact details, one fulfilment choice per shop, and a payment method."""

    first_name = forms.CharField(label=_("Prénom"), max_length=100,
                                 error_messages={"required": _("Indiquez votre prénom.")},
                                 widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label=_("Nom"), max_length=100,
                                error_messages={"required": _("Indiquez votre nom.")},
                                widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_("Nous y envoyons la confirmation de votre commande."),
        error_messages={"required": _("Indiquez votre adresse e-mail."),
                        "invalid": _("Saisissez une adresse e-mail valide, par exemple marie.dupont@exemple.fr.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = PhoneNumberField(
        label=_("Téléphone"), region="FR",
        help_text=_("Les commerçants peuvent vous appeler au sujet de votre commande."),
        error_messages={"required": _("Indiquez un numéro de téléphone où vous joindre."),
                        "invalid": _("Saisissez un numéro de téléphone valide, par exemple 06 12 34 56 78.")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )

    # One delivery address for the whole order, needed only when a chosen option
    # delivers (the fields are optional otherwise; see clean()).
    delivery_line1 = forms.CharField(
        label=_("Numéro et rue"), max_length=255, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}))
    delivery_line2 = forms.CharField(
        label=_("Complément d'adresse"), max_length=255, required=False,
        help_text=_("Bâtiment, étage, lieu-dit… (facultatif)"),
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}))
    delivery_postcode = forms.CharField(
        label=_("Code postal"), max_length=10, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}))
    delivery_city = forms.CharField(
        label=_("Commune"), max_length=100, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}))
    delivery_notes = forms.CharField(
        label=_("Instructions pour la livraison"), max_length=500, required=False,
        help_text=_("Code de la porte, interphone, à qui sonner… (facultatif)"),
        widget=forms.Textarea(attrs={"rows": 2}))

    # The CGV (legal pages) accepted with the order; and, when the basket holds alcohol,
    # the customer's word that they are of age (Code de la santé publique, art. L3342-1).
    accept_terms = forms.BooleanField(
        label=_("J'ai lu et j'accepte les conditions générales de vente"),
        error_messages={"required": _("Cochez « J'ai lu et j'accepte les conditions générales de vente » pour "
                                      "passer la commande.")})
    adult_confirmed = forms.BooleanField(
        label=_("Je confirme avoir 18 ans ou plus"),
        help_text=_("Votre panier contient des boissons alcoolisées, dont la vente est interdite aux mineurs."),
        error_messages={"required": _("Votre panier contient des boissons alcoolisées : confirmez avoir 18 ans ou "
                                      "plus, ou retirez-les du panier.")})

    CONTACT_FIELDS = ("first_name", "last_name", "email", "phone")
    ADDRESS_FIELDS = ("delivery_line1", "delivery_line2", "delivery_postcode", "delivery_city", "delivery_notes")

    def __init__(self, *args, shop_groups, payment_methods, ask_terms=True, ask_adult=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not ask_terms:
            del self.fields["accept_terms"]
        if not ask_adult:  # never asked of a basket without alcohol
            del self.fields["adult_confirmed"]
        self.shop_groups = shop_groups
        self.payment_methods = payment_methods
        for group in shop_groups:
            # Unavailable options stay valid choices so that picking one (a stale page)
            # gets its own reason in clean() rather than a generic message.
            choices = [(o.code, o.label) for o in group.options]
            available = [o.code for o in group.options if o.available]
            self.fields[group.field_name] = forms.ChoiceField(
                label=_("Retrait ou livraison pour %(shop)s") % {"shop": group.partner.name},
                choices=choices,
                initial=available[0] if len(available) == 1 else None,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choisissez comment recevoir vos achats de %(shop)s.") % {"shop": group.partner.name},
                    "invalid_choice": _("Ce mode de retrait ou de livraison, ou cette date, n'est pas proposé par %(shop)s. "
                                        "Choisissez l'une des propositions affichées.") % {"shop": group.partner.name},
                },
            )
        pay_choices = [(m.code, m.label) for m in payment_methods]
        self.fields["payment_method"] = forms.ChoiceField(
            label=_("Paiement"), choices=pay_choices,
            initial=pay_choices[0][0] if len(pay_choices) == 1 else None,
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Choisissez un moyen de paiement."),
                "invalid_choice": _("Ce moyen de paiement n'est pas disponible."),
            },
        )

    def contact_fields(self):
        return [self[name] for name in self.CONTACT_FIELDS]

    def address_fields(self):
        return [self[name] for name in self.ADDRESS_FIELDS]

    def consent_fields(self):
        return [self[name] for name in ("adult_confirmed", "accept_terms") if name in self.fields]

    def clean_phone(self):
        """Phones are French: the merchants call from France (metropolitan or overseas)."""
        number = self.cleaned_data.get("phone")
        if number and phonenumbers.region_code_for_number(number) not in FRENCH_PHONE_REGIONS:
            raise forms.ValidationError(_(
                "Indiquez un numéro de téléphone français, par exemple 06 12 34 56 78 ou +33 6 12 34 56 78."))
        return number

    def clean_delivery_postcode(self):
        return normalise_postcode(self.cleaned_data.get("delivery_postcode"))

    def chosen_options(self):
        """{partner_id: FulfilmentOption} for the shops whose choice is valid so far."""
        chosen = {}
        for group in self.shop_groups:
            code = self.cleaned_data.get(group.field_name)
            option = next((o for o in group.options if o.code == code), None)
            if option is not None:
                chosen[group.partner.pk] = option
        return chosen

    def clean(self):
        cleaned = super().clean()
        chosen = self.chosen_options()
        for group in self.shop_groups:
            option = chosen.get(group.partner.pk)
            if option is not None and not option.available:
                self.add_error(group.field_name, option.unavailable_reason or _(
                    "Ce mode de retrait ou de livraison n'est plus disponible pour %(shop)s.") % {"shop": group.partner.name})
        if any(o.needs_delivery_address for o in chosen.values()):
            self.clean_delivery_address(cleaned)
        self.clean_online_payment_only(cleaned, chosen)
        return cleaned

    def clean_online_payment_only(self, cleaned, chosen):
        """An option paid online only (a parcel by post) with a payment made at the shop
        or on delivery: refused, whatever the page sent."""
        method = next((m for m in self.payment_methods if m.code == cleaned.get("payment_method")), None)
        if method is None or method.awaits_payment:
            return
        online = [m for m in self.payment_methods if m.awaits_payment]
        for group in self.shop_groups:
            option = chosen.get(group.partner.pk)
            if option is None or not option.online_payment_only:
                continue
            values = {"shop": group.partner.name, "option": option.label}
            if online:
                values["online"] = online[0].label
                message = _("%(shop)s : « %(option)s » se paie en ligne. Choisissez « %(online)s », ou un autre "
                            "mode de retrait ou de livraison pour ce commerce.") % values
            else:
                message = _("%(shop)s : « %(option)s » se paie en ligne, ce qui n'est pas proposé ici. Choisissez "
                            "un autre mode de retrait ou de livraison pour ce commerce.") % values
            self.add_error("payment_method", message)

    def clean_delivery_address(self, cleaned):
        required = {
            "delivery_line1": _("Indiquez le numéro et la rue où vous livrer."),
            "delivery_postcode": _("Indiquez le code postal de l'adresse de livraison."),
            "delivery_city": _("Indiquez la commune de l'adresse de livraison."),
        }
        for name, message in required.items():
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, message)
        postcode = cleaned.get("delivery_postcode")
        if postcode and not is_french_postcode(postcode):
            self.add_error("delivery_postcode", _(
                "« %(value)s » n'est pas un code postal français : il faut 5 chiffres, par exemple 21130.")
                % {"value": postcode})

    @property
    def needs_delivery_address(self):
        return any(o.needs_delivery_address for o in self.chosen_options().values())
