from django.core.management.base import BaseCommand

from plugins.gift_cards.issuing import send_due


class Command(BaseCommand):
    help = "Envoie par e-mail les cartes cadeaux dont la date d'envoi est arrivée (à lancer chaque matin)."

    def handle(self, *args, **options):
        self.stdout.write(f"{send_due()} carte(s) envoyée(s).")
