from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from townmarket import backup


class Command(BaseCommand):
    help = ("Ouvre la base configurée et compte commerces, produits et commandes ; avec --backup, compare "
            "aux comptes de la sauvegarde (après une restauration). / Checks a (restored) town opens.")

    def add_arguments(self, parser):
        parser.add_argument("--backup", dest="backup_folder", help="Le dossier d'une sauvegarde à comparer.")

    def handle(self, *args, backup_folder=None, **options):
        try:
            counts = backup.town_counts()
            missing = backup.missing_image_files()
        except DatabaseError as error:
            raise CommandError(f"La base ne s'ouvre pas ou ne contient pas de ville : {error}") from error
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
        problems = [f"{missing} image(s) sans fichier (fichiers non restaurés ?)"] if missing else []
        if backup_folder:
            try:
                expected = backup.read_manifest(backup_folder)["counts"]
            except (backup.BackupError, ValueError, KeyError) as error:
                raise CommandError(f"Sauvegarde illisible : {error}") from error
            problems += [f"{name} attendu {want}, trouvé {got}"
                         for name, (want, got) in backup.compare(expected, counts).items()]
        if problems:
            raise CommandError("Copie non conforme : " + "; ".join(problems))
        self.stdout.write("La ville s'ouvre" + (" et correspond à la sauvegarde." if backup_folder else "."))
