"""Public pages: the balance of a card (throttled; one code at a time, nothing
lists cards) and the routes of buying and spending them."""
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from townmarket.sites import current_site

from . import ledger, throttle
from .forms import CodeForm


class BalanceView(View):
    template_name = "gift_cards/balance.html"

    def get(self, request):
        return render(request, self.template_name, {"form": CodeForm()})

    def post(self, request):
        form = CodeForm(request.POST)
        context = {"form": form}
        if throttle.is_blocked(request):
            context["error"] = _("Trop de codes erronés : réessayez dans %(minutes)s minutes.") % {
                "minutes": throttle.wait_minutes(request)}
            return render(request, self.template_name, context, status=429)
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        try:
            card = ledger.find(form.cleaned_data["code"])
        except ledger.CardRefused as refusal:
            throttle.record(request, succeeded=False)
            context["error"] = refusal.message
            return render(request, self.template_name, context, status=400)
        throttle.record(request, succeeded=True)
        try:
            ledger.check_town(card, current_site(request).pk)
        except ledger.CardRefused as refusal:  # another town's card: its balance is told there only
            context["error"] = refusal.message
            return render(request, self.template_name, context, status=400)
        context.update(card=card, balance=card.balance, expired=card.is_expired())
        return render(request, self.template_name, context)
