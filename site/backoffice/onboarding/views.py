from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from backoffice import roles
from backoffice.models import ShopApplication
from backoffice.views import BackOfficeView
from townmarket import ratelimit
from townmarket.sites import current_site

from . import services
from .forms import RejectForm, ShopApplicationForm

SUBMISSIONS_PER_HOUR = 5


@require_http_methods(["GET", "POST"])
def apply(request):
    """Public page « Inscrire mon commerce »."""
    form = ShopApplicationForm(request.POST or None)
    if request.method == "POST":
        if form.is_spam:
            return HttpResponseRedirect(reverse("shop_application_thanks"))
        if not ratelimit.hit(request, "shop-application", SUBMISSIONS_PER_HOUR, 60):
            form.add_error(None, _("Trop de demandes envoyées depuis cette connexion. Réessayez dans une heure, "
                                   "ou appelez l'association."))
        elif form.is_valid():
            form.instance.town = current_site(request)  # the town whose site the form is on
            with transaction.atomic():
                application = form.save()
                services.notify_staff_of(application, request)  # into the outbox, with the application
            return HttpResponseRedirect(reverse("shop_application_thanks"))
    return render(request, "backoffice/onboarding/apply.html", {"form": form}, status=400 if form.errors else 200)


def thanks(request):
    return render(request, "backoffice/onboarding/thanks.html")


@login_required
@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """An existing account's holder, signed in, accepts to manage the approved shop
    (services.approve explains why they are not made a merchant at approval)."""
    try:
        if request.method == "POST":
            application = services.accept_invitation(token, request.user)
            messages.success(request, _("Vous gérez maintenant « %(name)s ».") % {"name": application.shop_name})
            return HttpResponseRedirect(reverse("wagtailadmin_home"))
        application, _data = services.read_invitation(token)
    except services.InvalidInvitation:
        return render(request, "backoffice/onboarding/invitation_invalid.html", status=400)
    except services.InvitationForAnotherAccount:
        return render(request, "backoffice/onboarding/invitation_other_account.html", status=403)
    return render(request, "backoffice/onboarding/invitation.html", {"application": application})


def applications_for(user):
    """The applications to the towns `user` works for (every town's for a superuser)."""
    return ShopApplication.objects.filter(town__in=roles.staffed_towns(user))


class ApplicationsPermission:
    def allowed(self, user):
        return user.has_perm(roles.REVIEW_APPLICATIONS)


class ApplicationListView(ApplicationsPermission, BackOfficeView):
    template_name = "backoffice/onboarding/index.html"
    page_title = gettext_lazy("Demandes d'inscription")
    header_icon = "form"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("statut") or ShopApplication.Status.PENDING
        if status not in ShopApplication.Status.values:
            status = ShopApplication.Status.PENDING
        page, page_range = self.paginate(applications_for(self.request.user).filter(status=status)
                                         .select_related("kind"))
        context.update(page=page, page_range=page_range, status=status, statuses=ShopApplication.Status.choices,
                       query_string=f"statut={status}")
        return context


class ApplicationDetailView(ApplicationsPermission, BackOfficeView):
    template_name = "backoffice/onboarding/detail.html"
    index_url_name = "backoffice_applications"
    index_label = gettext_lazy("Demandes d'inscription")

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            raise PermissionDenied
        self.application = get_object_or_404(applications_for(request.user).select_related("kind", "shop_page"),
                                             pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.application.shop_name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("reject_form", RejectForm())
        context["application"] = self.application
        return context

    def post(self, request, pk):
        try:
            if "approve" in request.POST:
                approval = services.approve(self.application, by=request.user, request=request)
                if approval.awaits_acceptance:
                    messages.warning(request, _(
                        "« %(name)s » est inscrit : vitrine créée en brouillon. Un compte existait déjà avec "
                        "l’adresse %(email)s : il ne reçoit aucun droit sur la boutique tant que son titulaire, "
                        "connecté à ce compte, n’a pas accepté l’invitation envoyée par e-mail. Le titulaire "
                        "doit accepter l’invitation sous une semaine.")
                        % {"name": self.application.shop_name, "email": self.application.email})
                else:
                    messages.success(request, _("« %(name)s » est inscrit : vitrine créée en brouillon, invitation "
                                                "envoyée.") % {"name": self.application.shop_name})
            else:
                form = RejectForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(reject_form=form))
                services.reject(self.application, by=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, _("Demande de « %(name)s » refusée ; le demandeur est prévenu.")
                                 % {"name": self.application.shop_name})
        except services.ApplicationAlreadyDecided as decided:
            messages.error(request, str(decided))
        return HttpResponseRedirect(reverse("backoffice_applications"))
