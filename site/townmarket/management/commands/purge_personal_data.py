from django.core.management.base import BaseCommand
from django.utils import timezone, translation

from townmarket.personal_data import retention


class Command(BaseCommand):
    help = ("Deletes or anonymises personal data older than its retention (RETENTION_*_DAYS settings, "
            "and the plugins' parts); prints what it did. Cron: each night.")

    def handle(self, *args, **options):
        with translation.override("fr"):
            for line in retention.purge(timezone.now()):
                self.stdout.write(line)
