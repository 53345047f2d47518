import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from townmarket import backup


class Command(BaseCommand):
    help = ("Sauvegarde la ville : la base (SQLite ou PostgreSQL, cohérente même site en marche) et les "
            "fichiers, dans un nouveau dossier (cron : chaque nuit). / Backs up the town.")

    def add_arguments(self, parser):
        parser.add_argument("--output", default="backups",
                            help="Dossier où créer la sauvegarde datée (défaut : backups/).")

    def handle(self, *args, output, **options):
        folder = Path(output) / dt.datetime.now().strftime("%Y-%m-%d-%H%M%S")
        try:
            manifest = backup.back_up(folder)
        except (backup.BackupError, FileExistsError, OSError) as error:
            raise CommandError(f"Sauvegarde impossible : {error}") from error
        counts = ", ".join(f"{name} {count}" for name, count in manifest["counts"].items())
        self.stdout.write(f"Sauvegarde écrite dans {folder} ({counts}).")
