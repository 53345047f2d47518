"""Every 5 minutes (site/deploy/crontab): the invoices a lost or failed task left unissued."""
import datetime

from django.core.management.base import BaseCommand

from invoicing.tasks import issue_missing


class Command(BaseCommand):
    help = "Émet les factures des commandes confirmées qui n'en ont pas encore (tâche perdue ou en échec)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=60,
                            help="secondes depuis la commande (laisse d'abord faire le worker ; défaut 60)")

    def handle(self, *args, older_than, **options):
        issued = issue_missing(datetime.timedelta(seconds=older_than))
        if options["verbosity"]:
            self.stdout.write(f"{issued} facture(s) émise(s).")
