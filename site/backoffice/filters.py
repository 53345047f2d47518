"""Filter forms share one rule: the shop filter offers only the user's shops, and a
forged shop id is an invalid choice (ignored), never another shop's data."""
from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

Partner = get_model("partner", "Partner")


class ShopFilterForm(forms.Form):
    boutique = forms.ModelChoiceField(label=_("Commerce"), required=False, queryset=Partner.objects.none(),
                                      empty_label=_("Tous les commerces"))

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["boutique"].queryset = partners.order_by("name")

    def shop(self):
        return self.cleaned_data.get("boutique") if self.is_valid() else None
