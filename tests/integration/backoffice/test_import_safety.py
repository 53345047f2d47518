"""Import uploads: a spreadsheet that inflates when unzipped is refused before it is
parsed, and the uploaded file is kept out of MEDIA_ROOT, deleted once imported and
purged when an import is left unfinished."""
import io
import os
import time
import zipfile

import pytest
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from oscar.core.loading import get_model
from openpyxl import Workbook

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")

HEADER = ["reference", "nom", "categorie", "prix_ttc", "tva", "stock"]
SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture
def alice(client, team):
    client.force_login(team["alice"])
    return client


def preview(client, upload):
    return client.post(reverse("backoffice_import"), {"file": upload})


def workbook_bytes(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def inflated_xlsx(megabytes):
    """A real .xlsx whose first sheet is `megabytes` MB of identical rows: a few
    hundred kilobytes once zipped."""
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes([HEADER])))
    output = io.BytesIO()
    row = b'<row><c t="inlineStr"><is><t>B1</t></is></c><c t="inlineStr"><is><t>Bombe</t></is></c></row>'
    chunk = row * (1024 * 1024 // len(row))
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            if item.filename != SHEET:
                bomb.writestr(item, source.read(item))
        with bomb.open(SHEET, "w") as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                        b'spreadsheetml/2006/main"><sheetData>')
            for _ in range(megabytes):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return output.getvalue()


@pytest.mark.parametrize("megabytes", [80, 20])  # 80: over the total; 20: under it, but compressed 1000 to 1
def test_a_spreadsheet_that_inflates_is_refused_before_it_is_parsed(alice, town, monkeypatch, megabytes):
    import openpyxl

    content = inflated_xlsx(megabytes)
    assert len(content) < 5 * 1024 * 1024  # under the upload limit

    def parser_reached(*args, **kwargs):
        raise AssertionError("openpyxl was reached")

    monkeypatch.setattr(openpyxl, "load_workbook", parser_reached)
    started = time.monotonic()
    response = preview(alice, SimpleUploadedFile("produits.xlsx", content))
    assert time.monotonic() - started < 2
    assert "Ce fichier Excel est trop volumineux une fois décompressé" in response.content.decode()
    assert not response.context.get("token")
    assert not Product.objects.filter(title="Bombe").exists()


def test_a_spreadsheet_with_too_many_columns_is_refused(alice, town):
    wide = HEADER + [f"colonne {i}" for i in range(60)]
    response = preview(alice, SimpleUploadedFile("produits.xlsx", workbook_bytes([wide, ["B1", "Bombe", "Fromages", 1, 5.5, 1]])))
    assert "Le fichier compte plus de 50 colonnes" in response.content.decode()
    assert not response.context.get("token")


def test_reading_an_xlsx_stops_at_the_row_limit(alice, town, monkeypatch):
    from backoffice.imports import spreadsheet

    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 3)
    rows = [HEADER] + [[f"B{i}", f"Produit {i}", "Fromages", 1, 5.5, 1] for i in range(200)]
    response = preview(alice, SimpleUploadedFile("produits.xlsx", workbook_bytes(rows)))
    assert "Le fichier compte plus de 3 produits" in response.content.decode()


def csv_upload():
    lines = ["reference;nom;categorie;prix_ttc;tva;stock", "P1;Pâté en croûte;Fromages;6,50;5,5;3"]
    return SimpleUploadedFile("produits.csv", "\n".join(lines).encode())


def files_under(path):
    return [os.path.join(folder, name) for folder, _, names in os.walk(path) for name in names]


def test_an_upload_is_private_and_deleted_once_imported(alice, town, settings):
    private = storages["private"]
    assert not private.location.startswith(str(settings.BASE_DIR))  # the test's own folder (conftest)
    response = preview(alice, csv_upload())
    assert response.context["token"]
    kept = files_under(private.location)
    assert len(kept) == 1 and files_under(settings.MEDIA_ROOT) == []
    relative = os.path.relpath(kept[0], private.location)
    assert alice.get(f"/media/{relative}").status_code == 404

    progress = alice.post(reverse("backoffice_import_run"), {"token": response.context["token"]})
    assert "Import terminé" in b"".join(progress.streaming_content).decode()
    assert Product.objects.filter(title="Pâté en croûte").exists()
    assert files_under(private.location) == [] and files_under(settings.MEDIA_ROOT) == []


def test_an_upload_is_deleted_when_the_import_no_longer_checks(alice, town):
    from oscar.core.loading import get_model as model

    response = preview(alice, csv_upload())
    model("catalogue", "Category").objects.filter(name="Fromages").update(name="Crèmerie")
    refused = alice.post(reverse("backoffice_import_run"), {"token": response.context["token"]})
    assert refused.status_code == 409
    assert files_under(storages["private"].location) == []


def test_purge_import_files_removes_day_old_uploads_only():
    private = storages["private"]
    old = private.save("imports/ancien.csv", io.BytesIO(b"reference;nom"))
    fresh = private.save("imports/recent.csv", io.BytesIO(b"reference;nom"))
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(private.path(old), (two_days_ago, two_days_ago))
    public_leftover = default_storage.save("imports/avant.csv", io.BytesIO(b"reference;nom"))  # before the private storage
    os.utime(default_storage.path(public_leftover), (two_days_ago, two_days_ago))
    call_command("purge_import_files")
    assert not private.exists(old) and private.exists(fresh)
    assert not default_storage.exists(public_leftover)
