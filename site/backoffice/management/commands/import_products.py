"""Import a shop's products from a CSV or XLSX file, as the back office does."""
import time
from pathlib import Path

from django.core.files.base import File
from django.core.management.base import BaseCommand, CommandError
from oscar.core.loading import get_model

from backoffice.imports import importer
from backoffice.imports.spreadsheet import ImportFileError, check_rows, read_table

Partner = get_model("partner", "Partner")


class Command(BaseCommand):
    help = "Importe les produits d'un commerce depuis un fichier CSV ou XLSX (tout ou rien)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier .csv ou .xlsx")
        parser.add_argument("--shop", required=True, help="Code du commerce (identifiant de sa vitrine)")
        parser.add_argument("--dry-run", action="store_true", help="Vérifier le fichier sans rien importer")

    def handle(self, *args, **options):
        partner = Partner.objects.filter(code=options["shop"]).first()
        if partner is None:
            raise CommandError(f"Commerce inconnu : {options['shop']}")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        started = time.monotonic()
        with path.open("rb") as handle:
            upload = File(handle, name=path.name)
            try:
                checked = check_rows(read_table(upload))
            except ImportFileError as problem:
                raise CommandError(str(problem))
        for error in checked.errors:
            self.stderr.write(f"ligne {error.line}, colonne {error.column} : {error.message}")
        if checked.errors:
            raise CommandError(f"{len(checked.errors)} problème(s) : rien n'a été importé.")
        if options["dry_run"]:
            self.stdout.write(self.style.SUCCESS(f"{len(checked.rows)} produit(s) valides ; rien n'a été importé (--dry-run)."))
            return
        total = len(checked.rows)
        steps = importer.import_rows(partner, checked.rows)
        while True:
            try:
                done = next(steps)
            except StopIteration as finished:
                created, updated = finished.value
                break
            filled = done * 30 // total
            self.stdout.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total}", ending="")
            self.stdout.flush()
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(
            f"{partner.name} : {created} produit(s) créé(s), {updated} mis à jour en {time.monotonic() - started:.1f} s."))
