"""Delete product-import uploads whose import was never run (cron, once a day)."""
import datetime

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from backoffice.imports.views import UPLOAD_FOLDER, upload_storage


class Command(BaseCommand):
    help = "Supprime les fichiers d'import de produits de plus d'un jour (imports jamais lancés)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24, help="Âge minimal des fichiers à supprimer (24 h par défaut)")

    def handle(self, *args, **options):
        older_than = timezone.now() - datetime.timedelta(hours=options["hours"])
        # default_storage: where uploads were kept, publicly, before the private storage.
        deleted = sum(self.purge(storage, older_than) for storage in (upload_storage(), default_storage))
        self.stdout.write(f"{deleted} fichier(s) d'import supprimé(s).")

    @staticmethod
    def purge(storage, older_than):
        try:
            _, names = storage.listdir(UPLOAD_FOLDER)
        except FileNotFoundError:
            return 0
        deleted = 0
        for name in names:
            path = f"{UPLOAD_FOLDER}/{name}"
            if storage.get_modified_time(path) < older_than:
                storage.delete(path)
                deleted += 1
        return deleted
