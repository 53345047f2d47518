"""Reading a product list from a CSV (as Excel or LibreOffice save it in France)
or an XLSX file, and checking every row before anything is written."""
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from oscar_apps.partner.models import VatRate
from townmarket.text import sort_key

Category = get_model("catalogue", "Category")

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_COLUMNS = 50
# An .xlsx is a zip: what it may expand to, checked before openpyxl reads it.
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_MEMBER_RATIO = 200  # a real sheet compresses 5 to 30 times; a zip bomb, 1,000 times
RATIO_CHECKED_FROM = 1024 * 1024  # tiny members may compress any amount
MAX_PRICE = Decimal("99999.99")

# The columns, in the template's order; headers are matched without accents or case.
COLUMNS = ["reference", "nom", "categorie", "prix_ttc", "tva", "stock", "description", "en_ligne"]
REQUIRED_COLUMNS = ["reference", "nom", "categorie", "prix_ttc", "stock"]
HEADER_ALIASES = {"sku": "reference", "ref": "reference", "titre": "nom", "prix": "prix_ttc",
                  "categorie_produit": "categorie", "quantite": "stock", "publie": "en_ligne"}
VAT_VALUES = {Decimal(value): value for value in VatRate.values if value != VatRate.OUT_OF_SCOPE}
YES = {"oui", "o", "yes", "y", "1", "vrai", "true", "x"}
NO = {"non", "n", "no", "0", "faux", "false", ""}


class ImportFileError(Exception):
    """The file as a whole cannot be read (message in French)."""


@dataclass
class RowError:
    line: int
    column: str
    message: str


@dataclass
class ProductRow:
    line: int
    sku: str
    title: str
    category: object
    price: Decimal
    vat_rate: str
    stock: int
    description: str
    is_public: bool


@dataclass
class CheckedFile:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors and bool(self.rows)


def normalise_header(text):
    key = re.sub(r"[^a-z0-9]+", "_", sort_key(text or "")).strip("_")
    return HEADER_ALIASES.get(key, key)


def read_table(upload):
    """(line number, {column: text}) for each non-empty row, after the header."""
    if upload.size > MAX_FILE_BYTES:
        raise ImportFileError(_("Le fichier dépasse 5 Mo. Découpez-le en plusieurs fichiers."))
    name = (upload.name or "").lower()
    if name.endswith(".xlsx"):
        table = _xlsx_rows(upload)
    elif name.endswith((".csv", ".txt")):
        table = _csv_rows(upload)
    else:
        raise ImportFileError(_("Envoyez un fichier .csv ou .xlsx (Excel, LibreOffice)."))
    try:
        header = next(table)
    except StopIteration:
        raise ImportFileError(_("Le fichier est vide."))
    if _too_wide(header):
        raise _too_wide_error()
    columns = [normalise_header(cell) for cell in header]
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise ImportFileError(_("Colonnes manquantes sur la première ligne : %(columns)s. Partez du modèle à télécharger.")
                              % {"columns": ", ".join(missing)})
    rows = []
    for line, cells in enumerate(table, start=2):
        if _too_wide(cells):
            raise _too_wide_error()
        values = {column: _text(cells[index]) if index < len(cells) else ""
                  for index, column in enumerate(columns) if column in COLUMNS}
        if not any(values.values()):
            continue
        rows.append((line, values))
        if len(rows) > MAX_ROWS:
            raise ImportFileError(_("Le fichier compte plus de %(max)s produits. Découpez-le en plusieurs fichiers.")
                                  % {"max": MAX_ROWS})
    if not rows:
        raise ImportFileError(_("Le fichier ne contient aucun produit sous la ligne des titres."))
    return rows


def _too_wide_error():
    return ImportFileError(_("Le fichier compte plus de %(max)s colonnes. Gardez seulement celles du modèle à télécharger.")
                           % {"max": MAX_COLUMNS})


def _too_wide(cells):
    return len(cells) > MAX_COLUMNS and any(_text(cell) for cell in cells[MAX_COLUMNS:])


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _csv_rows(upload):
    raw = upload.read()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_("Ce fichier n'est pas un CSV lisible."))
    if "\x00" in text:
        raise ImportFileError(_("Ce fichier n'est pas un CSV lisible."))
    first_line = text.split("\n", 1)[0]
    delimiter = max([";", ",", "\t"], key=first_line.count)
    try:
        return iter(list(csv.reader(io.StringIO(text), delimiter=delimiter)))
    except csv.Error:
        raise ImportFileError(_("Ce fichier CSV est mal formé (guillemets non fermés ?)."))


def _check_unzipped_size(upload):
    """Refuse an .xlsx that would expand beyond MAX_UNZIPPED_BYTES, in total or by a
    member compressed like a zip bomb. The sizes come from the zip's directory;
    Python's zipfile (which openpyxl reads with) never yields more than they state."""
    too_big = ImportFileError(_("Ce fichier Excel est trop volumineux une fois décompressé. "
                                "Découpez-le en plusieurs fichiers ou enregistrez-le en CSV."))
    try:
        members = zipfile.ZipFile(upload).infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # not a zip: openpyxl's own message follows
    finally:
        upload.seek(0)
    if sum(member.file_size for member in members) > MAX_UNZIPPED_BYTES:
        raise too_big
    for member in members:
        if member.file_size > RATIO_CHECKED_FROM and member.file_size > MAX_MEMBER_RATIO * max(member.compress_size, 1):
            raise too_big


def _xlsx_rows(upload):
    from openpyxl import load_workbook

    too_long = ImportFileError(_("Le fichier compte plus de %(max)s produits. Découpez-le en plusieurs fichiers.")
                               % {"max": MAX_ROWS})
    _check_unzipped_size(upload)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        if (sheet.max_row or 0) > MAX_ROWS + 50:
            raise too_long
        rows = []
        # Stop reading as soon as a limit is passed (the sheet's stated size may lie);
        # blank rows count too, within a margin.
        for row in sheet.iter_rows(values_only=True):
            if len(rows) > MAX_ROWS + 50:
                raise too_long
            if _too_wide(row):
                raise _too_wide_error()
            rows.append(list(row[:MAX_COLUMNS]))
        workbook.close()
    except ImportFileError:
        raise
    except Exception:  # openpyxl raises many types (zipfile, KeyError, XML...) for a damaged file
        raise ImportFileError(_("Ce fichier Excel est illisible ou endommagé. Enregistrez-le à nouveau au format .xlsx."))
    return iter(rows)


def check_rows(rows):
    """Check every row; return the valid products and every problem with its line and column."""
    categories = {sort_key(category.name): category for category in Category.objects.all()}
    result = CheckedFile()
    seen = {}
    for line, values in rows:
        errors = []

        def error(column, message):
            errors.append(RowError(line, column, message))

        sku = values.get("reference", "")
        if not sku:
            error("reference", _("Référence manquante."))
        elif len(sku) > 128:
            error("reference", _("Référence trop longue (128 caractères au plus)."))
        elif sku in seen:
            error("reference", _("Référence déjà utilisée ligne %(line)s.") % {"line": seen[sku]})
        else:
            seen[sku] = line
        title = values.get("nom", "")
        if not title:
            error("nom", _("Nom manquant."))
        elif len(title) > 255:
            error("nom", _("Nom trop long (255 caractères au plus)."))
        category = categories.get(sort_key(values.get("categorie", "")))
        if category is None:
            error("categorie", _("Catégorie inconnue : « %(value)s ».") % {"value": values.get("categorie", "")}
                  if values.get("categorie") else _("Catégorie manquante."))
        price = _price(values.get("prix_ttc", ""), error)
        vat_rate = _vat(values.get("tva", ""), error)
        stock = _stock(values.get("stock", ""), error)
        public = values.get("en_ligne", "").lower()
        if public not in YES | NO:
            error("en_ligne", _("Écrivez « oui » ou « non »."))
        if errors:
            result.errors.extend(errors)
            continue
        result.rows.append(ProductRow(line, sku, title, category, price, vat_rate, stock,
                                      values.get("description", ""), public in YES or public == ""))
    return result


def _price(text, error):
    cleaned = text.replace("€", "").replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    try:
        price = Decimal(cleaned)
    except InvalidOperation:
        error("prix_ttc", _("Prix illisible : « %(value)s » (exemple : 12,50).") % {"value": text} if text
              else _("Prix manquant."))
        return None
    if not price.is_finite() or price <= 0 or price > MAX_PRICE:
        error("prix_ttc", _("Le prix doit être compris entre 0,01 et 99 999,99 €."))
    elif price != price.quantize(Decimal("0.01")):
        error("prix_ttc", _("Le prix a au plus deux chiffres après la virgule."))
    else:
        return price.quantize(Decimal("0.01"))
    return None


def _vat(text, error):
    if not text:
        return VatRate.STANDARD.value
    cleaned = text.replace("%", "").replace(" ", "").replace(",", ".")
    try:
        rate = Decimal(cleaned)
        if rate < 1:  # 0.2 or 0.055 from a cell formatted as a percentage
            rate *= 100
        return VAT_VALUES[rate.normalize() if rate != rate.to_integral() else rate.to_integral()]
    except (InvalidOperation, KeyError):
        error("tva", _("Taux de TVA inconnu : « %(value)s » (20, 10, 5,5 ou 2,1).") % {"value": text})
        return None


def _stock(text, error):
    try:
        stock = int(text.replace(" ", ""))
    except ValueError:
        error("stock", _("Stock illisible : « %(value)s » (un nombre entier).") % {"value": text} if text
              else _("Stock manquant."))
        return None
    if stock < 0:
        error("stock", _("Le stock ne peut pas être négatif."))
        return None
    if stock > 100_000:
        error("stock", _("Le stock ne peut pas dépasser 100 000."))
        return None
    return stock
