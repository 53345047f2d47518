from django import forms
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField


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

    CONTACT_FIELDS = ("first_name", "last_name", "email", "phone")

    def __init__(self, *args, shop_groups, payment_methods, **kwargs):
        super().__init__(*args, **kwargs)
        self.shop_groups = shop_groups
        for group in shop_groups:
            choices = [(o.code, o.label) for o in group.options if o.available]
            self.fields[group.field_name] = forms.ChoiceField(
                label=_("Mode de remise pour %(shop)s") % {"shop": group.partner.name},
                choices=choices,
                initial=choices[0][0] if len(choices) == 1 else None,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choisissez comment recevoir vos achats de %(shop)s.") % {"shop": group.partner.name},
                    "invalid_choice": _("Ce mode de remise n'est pas proposé par %(shop)s.") % {"shop": group.partner.name},
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
