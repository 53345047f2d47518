import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ShopDelivery


class ShopDeliveryForm(forms.ModelForm):
    class Meta:
        model = ShopDelivery
        fields = ["click_and_collect", "local_delivery", "postal", "preparation_days"]
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
