"""« Mes données »: a signed-in customer reads and downloads their data, and erases
their account after typing their password (townmarket.personal_data). Every view acts
on the signed-in account only: there is no id to forge."""
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from townmarket import extensions, ratelimit
from townmarket.personal_data import erasure, export, subjects

EXPORT_SCOPE = "personal-data-export"
PASSWORD_SCOPE = "account-erasure-password"
PASSWORD_TRIES, PASSWORD_MINUTES = 5, 15


class ErasureForm(forms.Form):
    password = forms.CharField(label=gettext_lazy("Votre mot de passe"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
                               error_messages={"required": gettext_lazy("Tapez votre mot de passe pour confirmer.")})

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Ce mot de passe n'est pas le bon : rien n'a été effacé."))
        return password


def too_many_exports(request):
    return not ratelimit.hit(request, EXPORT_SCOPE, settings.PERSONAL_DATA_EXPORTS_PER_HOUR, 60, key="user")


def refused_export(request):
    return render(request, "oscar/customer/personal_data/too_many.html",
                  {"page_title": _("Mes données"), "active_tab": "personal_data"}, status=429)


class PersonalDataView(generic.TemplateView):
    """Everything the marketplace keeps about the customer, as it will be in the file."""

    template_name = "oscar/customer/personal_data/index.html"

    def get(self, request, *args, **kwargs):
        if too_many_exports(request):
            return refused_export(request)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(page_title=_("Mes données"), active_tab="personal_data",
                       sections=[(section, export.as_html(section.items))
                                 for section in export.sections(subjects.of_user(self.request.user))])
        return context


class PersonalDataDownloadView(generic.View):
    def get(self, request):
        if too_many_exports(request):
            return refused_export(request)
        document = export.as_json(export.sections(subjects.of_user(request.user)))
        response = HttpResponse(document, content_type="application/json; charset=utf-8")
        filename = f"mes-donnees-{timezone.localdate():%Y-%m-%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class AccountErasureView(generic.View):
    """Replaces Oscar's « Delete profile » (which deleted the user and left their name,
    e-mail and addresses on every order): says what goes and what stays, refuses while
    an order is in progress, and asks for the password."""

    template_name = "oscar/customer/personal_data/erase.html"

    def show(self, form, refusal=None, status=200):
        return render(self.request, self.template_name, {
            "form": form, "refusal": refusal, "page_title": _("Effacer mon compte"), "active_tab": "personal_data",
            "notes": list(dict.fromkeys(str(section.erasure_note) for section in self.sections
                                        if section.erasure_note and section.items)),
        }, status=status)

    def dispatch(self, request, *args, **kwargs):
        self.subject = subjects.of_user(request.user)
        self.sections = export.sections(self.subject)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.show(ErasureForm(request.user), erasure.refusal(self.subject))

    def post(self, request):
        subject = self.subject
        refusal = erasure.refusal(subject)
        if refusal:
            return self.show(ErasureForm(request.user), refusal, status=409)
        if not ratelimit.hit(request, PASSWORD_SCOPE, PASSWORD_TRIES, PASSWORD_MINUTES, key="user"):
            form = ErasureForm(request.user)
            form.add_error(None, _("Trop d'essais : réessayez dans %(minutes)s minutes.") % {"minutes": PASSWORD_MINUTES})
            return self.show(form, status=429)
        form = ErasureForm(request.user, request.POST)
        if not form.is_valid():
            return self.show(form, status=400)
        try:
            erasure.erase(subject)
        except extensions.ErasureRefused as refused:
            return self.show(ErasureForm(request.user), refused.message, status=409)
        logout(request)
        messages.success(request, _("Votre compte est effacé, ainsi que vos coordonnées sur vos commandes."))
        return redirect("/")
