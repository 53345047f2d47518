"""« E-mails non envoyés »: what the outbox gave up on after its last retry, for
association staff to check the address and send again (townmarket.outbox)."""
from django.contrib import messages
from django.db.models import Exists, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townmarket import outbox
from townmarket.text import is_row_id
from townmarket.models import OutboxMessage

from .roles import staffed_towns
from .views import BackOfficeView

MANAGE_EMAILS = "townmarket.change_outboxmessage"


def failed_of(user):
    """The failed e-mails of the user's towns (an e-mail of no town: the default town's)."""
    towns = staffed_towns(user)
    of_default_town = Q(town=None) & Q(Exists(towns.filter(is_default_site=True)))
    return OutboxMessage.objects.filter(Q(town__in=towns) | of_default_town, status=OutboxMessage.FAILED)


def failed_count(user):
    return failed_of(user).count() if user.has_perm(MANAGE_EMAILS) else 0


class FailedEmailListView(BackOfficeView):
    template_name = "backoffice/emails/failed.html"
    page_title = gettext_lazy("E-mails non envoyés")
    header_icon = "mail"

    def allowed(self, user):
        return user.has_perm(MANAGE_EMAILS)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page, page_range = self.paginate(failed_of(self.request.user).defer("payload").order_by("-created_at"))
        context.update(page=page, page_range=page_range, query_string="")
        return context

    def post(self, request):
        pk = request.POST.get("message", "")
        if is_row_id(pk) and failed_of(request.user).filter(pk=pk).exists() and outbox.send_again(int(pk)):
            messages.success(request, _("L'e-mail est remis en file d'envoi."))
        else:
            messages.error(request, _("Cet e-mail n'est plus en échec : la liste a été mise à jour."))
        return HttpResponseRedirect(reverse("backoffice_failed_emails"))
