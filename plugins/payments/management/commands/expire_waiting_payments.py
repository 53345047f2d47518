from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from plugins.payments import sweep


class Command(BaseCommand):
    help = ("Règle les commandes en attente de paiement depuis plus de PAYMENT_WAIT_MINUTES (45 min par défaut) : "
            "payées chez Stripe, elles partent aux commerces ; sinon elles sont abandonnées et le panier rendu. "
            "À lancer toutes les 5 minutes (cron).")

    def handle(self, *args, **options):
        outcomes = sweep.expire_waiting_payments()
        self.stdout.write(_("%(paid)d payée(s), %(abandoned)d abandonnée(s), %(left)d laissée(s) pour la prochaine "
                            "fois (Stripe injoignable ou paiement en cours), %(done)d déjà réglée(s).") % {
            "paid": outcomes[sweep.PAID], "abandoned": outcomes[sweep.ABANDONED], "left": outcomes[sweep.LEFT],
            "done": outcomes[sweep.DONE]})
