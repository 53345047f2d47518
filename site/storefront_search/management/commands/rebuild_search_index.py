from django.core.management.base import BaseCommand

from storefront_search import indexing


class Command(BaseCommand):
    help = "Reconstruit l'index de recherche du catalogue (produits, commerces, vocabulaire)."

    def handle(self, *args, **options):
        verbose = options["verbosity"] > 0
        indexing.rebuild(log=lambda message: verbose and self.stdout.write(f"  {message}"))
        if verbose:
            self.stdout.write(self.style.SUCCESS("Index de recherche reconstruit."))
