"""CSV files that Excel opens correctly in French: semicolons, UTF-8 with a BOM."""
import csv
import re

from django.http import HttpResponse, StreamingHttpResponse


# A spreadsheet reads a cell starting with one of these as a formula (OWASP, « CSV injection »).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Amounts as the exports write them (« -5,00 », « -1 234,50 »): numbers, left as they are.
PLAIN_NUMBER = re.compile(r"[+-]?\d[\d \u00a0\u202f]*(?:[.,]\d+)?")


def as_text_cell(value):
    """A string a person typed (a customer's or a shop's name) that a spreadsheet would
    run as a formula gets a leading apostrophe; numbers and other strings are unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def csv_download(filename, header, rows, stream=True):
    """A CSV attachment; streamed, `rows` may be a lazy iterable (read as it is sent).
    Every export goes through here, so no cell of any of them can be a formula."""
    writer = csv.writer(_Echo(), delimiter=";")

    def lines():
        yield "\ufeff"  # BOM: Excel then reads UTF-8 accents correctly
        yield writer.writerow([as_text_cell(str(column)) for column in header])
        for row in rows:
            yield writer.writerow([as_text_cell(value) for value in row])

    content_type = "text/csv; charset=utf-8"
    response = StreamingHttpResponse(lines(), content_type=content_type) if stream else \
        HttpResponse("".join(lines()), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
