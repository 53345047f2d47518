"""CSV files that Excel opens correctly in French: semicolons, UTF-8 with a BOM."""
import csv

from django.http import HttpResponse, StreamingHttpResponse


class _Echo:
    def write(self, value):
        return value


def csv_download(filename, header, rows, stream=True):
    """A CSV attachment; streamed, `rows` may be a lazy iterable (read as it is sent)."""
    writer = csv.writer(_Echo(), delimiter=";")

    def lines():
        yield "\ufeff"  # BOM: Excel then reads UTF-8 accents correctly
        yield writer.writerow([str(column) for column in header])
        for row in rows:
            yield writer.writerow(row)

    content_type = "text/csv; charset=utf-8"
    response = StreamingHttpResponse(lines(), content_type=content_type) if stream else \
        HttpResponse("".join(lines()), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
