"""« Identité légale »: who sells, as the vitrine and the invoices say it. The merchant
edits their own shop's, association staff any shop's (the SIRET and VAT numbers are
checked by oscar_apps/partner/legal_identity.py)."""
from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from oscar_apps.partner.legal_identity import clean_siret, clean_vat_number

from . import roles
from .views import BackOfficeView

Partner = get_model("partner", "Partner")


class LegalIdentityForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["legal_name", "legal_form", "siret", "vat_number", "vat_exempt", "legal_street", "legal_postcode",
                  "legal_city"]
        widgets = {"siret": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})}
        help_texts = {
            "siret": gettext_lazy("14 chiffres, sur l'extrait Kbis ou l'avis de situation Insee."),
            "vat_number": gettext_lazy("FR suivi de 11 caractères ; laissez vide en franchise en base de TVA."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("legal_name", "siret", "legal_street", "legal_postcode", "legal_city"):
            self.fields[name].required = True
        for name in ("siret", "vat_number"):  # typed with spaces: « 732 829 320 00074 »; compacted when cleaned
            self.fields[name].max_length = None
            self.fields[name].validators = []
            self.fields[name].widget.attrs.pop("maxlength", None)
        self.fields["legal_name"].error_messages["required"] = _("Indiquez la raison sociale ou le nom de "
                                                                 "l'entrepreneur.")
        self.fields["siret"].error_messages["required"] = _("Indiquez le numéro SIRET.")
        self.fields["legal_street"].error_messages["required"] = _("Indiquez l'adresse.")
        self.fields["legal_postcode"].error_messages["required"] = _("Indiquez le code postal.")
        self.fields["legal_city"].error_messages["required"] = _("Indiquez la commune.")

    def clean_siret(self):
        return clean_siret(self.cleaned_data.get("siret"))

    def clean_legal_postcode(self):
        postcode = (self.cleaned_data.get("legal_postcode") or "").strip()
        if not (len(postcode) == 5 and postcode.isdigit()):
            raise forms.ValidationError(_("Le code postal compte 5 chiffres."))
        return postcode

    def clean(self):
        cleaned = super().clean()
        try:
            cleaned["vat_number"] = clean_vat_number(cleaned.get("vat_number"), cleaned.get("siret") or "")
        except forms.ValidationError as error:
            self.add_error("vat_number", error)
            return cleaned
        if cleaned.get("vat_number") and cleaned.get("vat_exempt"):
            self.add_error("vat_exempt", _("Une entreprise en franchise en base ne facture pas de TVA : décochez "
                                           "cette case ou retirez le numéro de TVA."))
        elif not cleaned.get("vat_number") and not cleaned.get("vat_exempt") and "siret" in cleaned:
            self.add_error("vat_number", _("Indiquez le numéro de TVA intracommunautaire, ou cochez « Franchise en "
                                           "base de TVA » si le commerce ne facture pas de TVA."))
        return cleaned


class LegalIdentityView(BackOfficeView):
    template_name = "backoffice/legal_identity.html"
    page_title = gettext_lazy("Identité légale")
    header_icon = "doc-full"

    def allowed(self, user):
        return user.has_perm(roles.CHANGE_ORDERS)

    def find_shop(self, wanted):
        """The shop asked for among the user's own, else a 404."""
        self.partner = self.chosen_shop(wanted)

    def get(self, request, *args, **kwargs):
        self.find_shop(request.GET.get("shop"))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=kwargs.get("form") or LegalIdentityForm(instance=self.partner), partner=self.partner)
        if self.several_shops:
            context["shops"] = self.partners.order_by("name")
        return context

    def post(self, request, *args, **kwargs):
        self.find_shop(request.POST.get("shop"))
        form = LegalIdentityForm(request.POST, instance=self.partner)
        if not form.is_valid():
            self.partner.refresh_from_db()  # the page's title and list show the saved shop
            return self.render_to_response(self.get_context_data(form=form))
        form.save()
        messages.success(request, _("Identité légale de %(shop)s enregistrée.") % {"shop": self.partner.name})
        return HttpResponseRedirect(reverse("backoffice_legal_identity") + f"?shop={self.partner.pk}")
