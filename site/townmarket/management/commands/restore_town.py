from django.core.management.base import BaseCommand, CommandError

from townmarket import backup


class Command(BaseCommand):
    help = ("Restaure une sauvegarde de backup_town dans la base et les dossiers de fichiers configurés, "
            "puis vérifie les comptes. / Restores a backup.")

    def add_arguments(self, parser):
        parser.add_argument("folder", help="Le dossier de la sauvegarde (celui qui contient manifest.json).")
        parser.add_argument("--replace", action="store_true",
                            help="Écraser une base qui n'est pas vide (arrêtez le site d'abord).")

    def handle(self, *args, folder, replace, **options):
        try:
            manifest = backup.restore(folder, replace=replace)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        differences = backup.compare(manifest["counts"], backup.town_counts())
        if differences:
            raise CommandError("Restauration incomplète : " + "; ".join(
                f"{name} attendu {expected}, trouvé {found}" for name, (expected, found) in differences.items()))
        self.stdout.write(f"Sauvegarde du {manifest['created_at']} restaurée ; les comptes correspondent.")
