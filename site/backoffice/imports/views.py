import logging
import uuid
from pathlib import Path

from django import forms
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from backoffice.csv_export import csv_download
from backoffice.views import BackOfficeView, ProductsPermission

from . import importer
from .spreadsheet import COLUMNS, ImportFileError, check_rows, read_table

logger = logging.getLogger(__name__)
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Category = get_model("catalogue", "Category")
TOKEN_SALT = "backoffice.product-import"
TOKEN_MAX_AGE = 3600
ERRORS_SHOWN = 300


UPLOAD_FOLDER = "imports"


def upload_storage():
    """Where an upload waits between the preview and the import: the private
    storage, outside MEDIA_ROOT and reachable by no URL. The file is deleted once
    imported; `purge_import_files` deletes those of imports never run."""
    return storages["private"]


class ImportForm(forms.Form):
    shop = forms.ModelChoiceField(label=gettext_lazy("Commerce"), queryset=Partner.objects.none(),
                                  error_messages={"required": gettext_lazy("Choisissez le commerce."),
                                                  "invalid_choice": gettext_lazy("Choisissez un de vos commerces.")})
    file = forms.FileField(label=gettext_lazy("Fichier CSV ou Excel (.xlsx)"),
                           error_messages={"required": gettext_lazy("Choisissez le fichier à importer."),
                                           "empty": gettext_lazy("Le fichier est vide.")},
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}))

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shop"].queryset = partners.order_by("name")
        if len(self.fields["shop"].queryset) == 1:  # a merchant's own shop, not up for forging
            self.fields["shop"].initial = self.fields["shop"].queryset[0]
            self.fields["shop"].disabled = True
            self.fields["shop"].widget = forms.HiddenInput()


class ImportView(ProductsPermission, BackOfficeView):
    """Step 1, upload; step 2, preview with every faulty row (nothing written yet)."""

    template_name = "backoffice/imports/upload.html"
    page_title = gettext_lazy("Importer des produits")
    index_url_name = "backoffice_products"
    index_label = gettext_lazy("Produits")
    header_icon = "upload"

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=ImportForm(partners=self.partners)))

    def post(self, request):
        form = ImportForm(request.POST, request.FILES, partners=self.partners)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload, partner = form.cleaned_data["file"], form.cleaned_data["shop"]
        try:
            checked = check_rows(read_table(upload))
        except ImportFileError as problem:
            form.add_error("file", str(problem))
            return self.render_to_response(self.get_context_data(form=form))
        context = self.get_context_data(form=ImportForm(partners=self.partners), checked=checked, partner=partner,
                                        errors_shown=checked.errors[:ERRORS_SHOWN])
        if checked.ok:
            skus = [row.sku for row in checked.rows]
            existing = set(StockRecord.objects.filter(partner=partner, partner_sku__in=skus)
                           .values_list("partner_sku", flat=True))
            upload.seek(0)
            stored = upload_storage().save(f"{UPLOAD_FOLDER}/{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}", upload)
            context.update(
                to_update=len(existing), to_create=len(skus) - len(existing), sample=checked.rows[:10],
                token=signing.dumps({"file": stored, "shop": partner.pk, "user": request.user.pk}, salt=TOKEN_SALT),
            )
        return self.render_to_response(context)


class RunImportView(ProductsPermission, BackOfficeView):
    """Step 3: import everything or nothing, showing progress as it goes."""

    http_method_names = ["post"]

    def post(self, request):
        try:
            data = signing.loads(request.POST.get("token", ""), salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        except signing.BadSignature:
            raise Http404(_("Cet import a expiré : envoyez le fichier à nouveau."))
        storage = upload_storage()
        if data["user"] != request.user.pk or not storage.exists(data["file"]):
            raise Http404
        partner = self.partners.filter(pk=data["shop"]).first()
        if partner is None:
            raise Http404
        with storage.open(data["file"], "rb") as stored:
            upload = ContentFile(stored.read(), name=data["file"])
        try:
            checked = check_rows(read_table(upload))
        except ImportFileError:
            checked = None
        if checked is None or not checked.ok:  # categories changed since the preview
            storage.delete(data["file"])
            return HttpResponse(_("Le fichier ne passe plus les vérifications : recommencez l'import."), status=409)
        response = StreamingHttpResponse(self.stream(partner, checked.rows, data["file"]), content_type="text/html; charset=utf-8")
        response["Cache-Control"] = "no-store"
        response["X-Accel-Buffering"] = "no"  # let a reverse proxy pass the progress through
        return response

    def stream(self, partner, rows, stored_file):
        total = len(rows)
        # The padding makes browsers start rendering before the first step arrives.
        context = {"partner": partner, "total": total, "products_url": reverse("backoffice_products"), "padding": " " * 1024}
        yield render_to_string("backoffice/imports/progress_head.html", context, request=self.request)
        steps = importer.import_rows(partner, rows)
        try:
            while True:
                done = next(steps)
                yield render_to_string("backoffice/imports/progress_step.html", {"done": done, "total": total,
                                                                                   "percent": done * 100 // total})
        except StopIteration as finished:
            created, updated = finished.value
            context.update(created=created, updated=updated, ok=True)
        except Exception:
            logger.exception("Product import failed for %s", partner)
            context["ok"] = False
        finally:
            upload_storage().delete(stored_file)
        yield render_to_string("backoffice/imports/progress_end.html", context)


def template_file(request):
    """An example file merchants fill in (semicolons and a BOM: Excel opens it in French)."""
    categories = list(Category.objects.order_by("path").values_list("name", flat=True)[:2]) or ["Épicerie", "Épicerie"]
    rows = [["CONF-001", "Confiture de cassis 250 g", categories[0], "5,90", "5,5", "12",
             "Cassis de Bourgogne, 60 % de fruits.", "oui"],
            ["SAV-002", "Savon au lait d'ânesse", categories[-1], "7,50", "20", "30", "", "oui"]]
    return csv_download("modele-produits.csv", COLUMNS, rows, stream=False)
