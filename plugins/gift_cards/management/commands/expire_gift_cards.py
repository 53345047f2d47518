from django.core.management.base import BaseCommand

from plugins.gift_cards.ledger import expire


class Command(BaseCommand):
    help = "Solde les cartes cadeaux arrivées à expiration (à lancer chaque nuit)."

    def handle(self, *args, **options):
        self.stdout.write(f"{expire()} carte(s) expirée(s).")
