from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from plugins.payments import fees


class Command(BaseCommand):
    help = ("Demande à Stripe les frais des paiements en ligne dont les frais ne sont pas encore connus "
            "(Stripe ne répondait pas à la confirmation du paiement). À lancer toutes les 5 minutes (cron).")

    def handle(self, *args, **options):
        outcomes = fees.fetch_missing()
        self.stdout.write(_("%(known)d frais récupéré(s), %(not_yet)d pas encore comptabilisé(s) par Stripe, "
                            "%(left)d laissé(s) pour la prochaine fois (Stripe injoignable).") % {
            "known": outcomes[fees.FETCHED], "not_yet": outcomes[fees.NOT_YET], "left": outcomes[fees.LEFT]})
