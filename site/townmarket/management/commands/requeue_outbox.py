from django.core.management.base import BaseCommand

from townmarket import outbox


class Command(BaseCommand):
    help = "Hands out again the e-mails a stopped worker left behind (cron: every 5 minutes)."

    def handle(self, *args, **options):
        count = outbox.requeue_stale()
        if count:
            self.stdout.write(f"{count} e-mail(s) remis en file d'envoi.")
