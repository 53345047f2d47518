from django.core.management.base import BaseCommand

from storefront_search import indexing


class Command(BaseCommand):
    help = "Reconstruit l'index de recherche du catalogue (produits, commerces, vocabulaire)."

    def handle(self, *args, **options):
        indexing.rebuild(log=lambda message: self.stdout.write(f"  {message}"))
        self.stdout.write(self.style.SUCCESS("Index de recherche reconstruit."))
