"""Bulk import: a spreadsheet checked row by row, then imported all or nothing,
updating products that share a reference instead of duplicating them."""
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from oscar.core.loading import get_model
from openpyxl import Workbook

from tests import factories

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

HEADER = "reference;nom;categorie;prix_ttc;tva;stock;description;en_ligne"


def csv_file(*rows, header=HEADER, name="produits.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, ("\n".join([header, *rows]) + "\n").encode(encoding), content_type="text/csv")


def xlsx_file(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile("produits.xlsx", output.getvalue())


@pytest.fixture
def alice(client, team):
    client.force_login(team["alice"])
    return client


def preview(client, upload):
    return client.post(reverse("backoffice_import"), {"file": upload})


def run(client, token):
    response = client.post(reverse("backoffice_import_run"), {"token": token})
    return response, b"".join(response.streaming_content).decode()


def test_the_preview_lists_every_faulty_row_with_its_line_column_and_reason(alice, town):
    factories.category("Fromages")
    upload = csv_file(
        "F1;Brillat-Savarin;Fromages;7,90;5,5;4;;oui",
        "F2;;Fromages;3;5,5;4;;oui",
        "F3;Bleu;Poissons;3;5,5;4;;oui",
        "F4;Chèvre;Fromages;trois euros;5,5;4;;oui",
        "F5;Ossau;Fromages;9;19,6;-2;;peut-être",
        "F1;Doublon;Fromages;1;5,5;1;;oui",
    )
    response = preview(alice, upload)
    errors = [(e.line, e.column, e.message) for e in response.context["checked"].errors]
    assert errors == [
        (3, "nom", "Nom manquant."),
        (4, "categorie", "Catégorie inconnue : « Poissons »."),
        (5, "prix_ttc", "Prix illisible : « trois euros » (exemple : 12,50)."),
        (6, "tva", "Taux de TVA inconnu : « 19,6 » (20, 10, 5,5 ou 2,1)."),
        (6, "stock", "Le stock ne peut pas être négatif."),
        (6, "en_ligne", "Écrivez « oui » ou « non »."),
        (7, "reference", "Référence déjà utilisée ligne 2."),
    ]
    body = response.content.decode()
    assert "7 problèmes à corriger. Rien n'a été importé" in body
    assert "token" not in response.context or not response.context.get("token")
    assert not Product.objects.filter(title="Brillat-Savarin").exists()


def test_a_clean_file_imports_everything_and_a_second_import_updates_by_reference(alice, town):
    factories.category("Crèmerie")
    response = preview(alice, csv_file(
        "F1;Brillat-Savarin;Fromages;7,90;5,5;4;Triple crème.;oui",
        "F2;Beurre demi-sel;crèmerie;3,20;5.5;10;;non",
        "F3;Yaourt fermier;Crèmerie;1,10;;20;;",
    ))
    assert (response.context["to_create"], response.context["to_update"]) == (3, 0)
    _, progress = run(alice, response.context["token"])
    assert "Import terminé : 3 produit(s) créé(s), 0 mis à jour." in progress
    brillat = Product.objects.get(title="Brillat-Savarin")
    record = brillat.stockrecords.get()
    assert (record.partner, record.price, record.vat_rate, record.num_in_stock) == (
        town["cheese"].partner, Decimal("7.90"), "5.5", 4)
    assert brillat.description == "<p>Triple crème.</p>" and brillat.is_public
    assert not Product.objects.get(title="Beurre demi-sel").is_public
    assert Product.objects.get(title="Yaourt fermier").stockrecords.get().vat_rate == "20.0"

    StockRecord.objects.filter(product=brillat).update(num_allocated=1)  # one sold meanwhile
    response = preview(alice, csv_file("F1;Brillat-Savarin affiné;Crèmerie;8,50;5,5;6;;oui", "F4;Faisselle;Crèmerie;2;5,5;3;;oui"))
    assert (response.context["to_create"], response.context["to_update"]) == (1, 1)
    _, progress = run(alice, response.context["token"])
    assert "1 produit(s) créé(s), 1 mis à jour" in progress
    brillat.refresh_from_db()
    record = brillat.stockrecords.get()
    assert brillat.title == "Brillat-Savarin affiné" and Product.objects.filter(stockrecords__partner_sku="F1").count() == 1
    assert (record.price, record.num_in_stock - record.num_allocated) == (Decimal("8.50"), 6)
    assert [c.name for c in brillat.categories.all()] == ["Crèmerie"]
    assert brillat.description == "<p>Triple crème.</p>"  # an empty cell keeps the description


def test_an_xlsx_file_from_excel_with_numbers_as_numbers(alice, town):
    response = preview(alice, xlsx_file([
        ["Référence", "Nom", "Catégorie", "Prix TTC", "TVA", "Stock"],
        [1001, "Comté 30 mois", "Fromages", 24.5, 0.055, 3],
    ]))
    assert response.context["checked"].errors == []
    run(alice, response.context["token"])
    record = StockRecord.objects.get(partner_sku="1001")
    assert (record.price, record.vat_rate, record.num_in_stock) == (Decimal("24.50"), "5.5", 3)


def test_a_csv_saved_by_french_excel_in_windows_1252_is_read(alice, town):
    response = preview(alice, csv_file("F9;Crème fraîche d'Isigny;Fromages;4,10;5,5;8;;oui", encoding="cp1252"))
    assert [row.title for row in response.context["checked"].rows] == ["Crème fraîche d'Isigny"]


@pytest.mark.parametrize("upload, message", [
    (SimpleUploadedFile("liste.pdf", b"%PDF-1.4"), "Envoyez un fichier .csv ou .xlsx"),
    (SimpleUploadedFile("liste.xlsx", b"PK\x03\x04 broken zip"), "Ce fichier Excel est illisible ou endommagé"),
    (SimpleUploadedFile("liste.csv", b"nom;prix\nA;1\n"), "Colonnes manquantes sur la première ligne : reference, categorie, stock"),
    (SimpleUploadedFile("liste.csv", HEADER.encode() + b"\n"), "Le fichier ne contient aucun produit"),
    (SimpleUploadedFile("liste.csv", b"\x00\x01\x02" * 10), "Ce fichier n'est pas un CSV lisible."),
    (SimpleUploadedFile("liste.csv", b"reference;nom\n\x81\x8d\x8f\x90\x9d"), "Ce fichier n'est pas un CSV lisible."),
    (SimpleUploadedFile("liste.csv", b'reference;nom;categorie;prix_ttc;stock\n"F1;"non ferm'), "Catégorie manquante"),
])
def test_an_unreadable_file_gets_a_french_message(alice, town, upload, message):
    response = preview(alice, upload)
    assert response.status_code == 200
    assert message.replace("'", "&#x27;") in response.content.decode()


def test_a_huge_file_is_refused_before_reading(alice, town, monkeypatch):
    from backoffice.imports import spreadsheet

    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 3)
    response = preview(alice, csv_file(*[f"F{i};Produit {i};Fromages;1;5,5;1;;oui" for i in range(5)]))
    assert "plus de 3 produits" in response.content.decode()
    monkeypatch.setattr(spreadsheet, "MAX_FILE_BYTES", 100)
    response = preview(alice, csv_file(*[f"F{i};Produit {i};Fromages;1;5,5;1;;oui" for i in range(3)]))
    assert "Le fichier dépasse 5 Mo" in response.content.decode()


def test_a_failure_midway_leaves_nothing_imported(alice, town, monkeypatch):
    from backoffice.imports import importer

    monkeypatch.setattr(importer, "BATCH", 2)
    original = importer._create
    calls = []

    def failing_second_batch(*args):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(*args)

    monkeypatch.setattr(importer, "_create", failing_second_batch)
    response = preview(alice, csv_file(*[f"N{i};Nouveau {i};Fromages;1;5,5;1;;oui" for i in range(5)]))
    _, progress = run(alice, response.context["token"])
    assert "L'import a échoué ; aucun produit n'a été modifié" in progress
    assert not Product.objects.filter(title__startswith="Nouveau").exists()


def test_five_thousand_rows_import_with_progress_steps(alice, town):
    rows = [f"R{i:05d};Article {i};Fromages;{1 + i % 50},{i % 100:02d};5,5;{i % 30};;oui" for i in range(5000)]
    response = preview(alice, csv_file(*rows))
    assert response.context["to_create"] == 5000
    _, progress = run(alice, response.context["token"])
    assert progress.count('<div class="bo-step"><progress') == 10  # one per batch of 500
    assert "5000 produits sur 5000" in progress and "Import terminé : 5000 produit(s) créé(s)" in progress
    assert StockRecord.objects.filter(partner=town["cheese"].partner).count() == 5002


def test_the_template_file_opens_in_excel_and_imports_as_is(alice, town):
    factories.category("Épicerie")
    response = alice.get(reverse("backoffice_import_template"))
    content = response.content
    assert content.startswith("\ufeff".encode()) and b"reference;nom;categorie" in content
    preview_response = preview(alice, SimpleUploadedFile("modele-produits.csv", content))
    assert preview_response.context["checked"].errors == []


def test_the_management_command_imports_with_a_progress_bar(town, tmp_path, capsys):
    path = tmp_path / "produits.csv"
    path.write_text(HEADER + "\n" + "\n".join(f"C{i};Conserve {i};Fromages;2,50;5,5;5;;oui" for i in range(1200)), encoding="utf-8")
    call_command("import_products", str(path), "--shop", town["cheese"].partner.code)
    out = capsys.readouterr().out
    assert "[" + "#" * 30 + "] 1200/1200" in out and "1200 produit(s) créé(s), 0 mis à jour" in out
    path.write_text(HEADER + "\nC1;;Fromages;2;5,5;5;;oui\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 problème"):
        call_command("import_products", str(path), "--shop", town["cheese"].partner.code)
    assert "ligne 2, colonne nom : Nom manquant." in capsys.readouterr().err
