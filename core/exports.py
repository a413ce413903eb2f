"""Excel exports: every staff list can be downloaded as .xlsx with the columns it shows.

Every string is written as text, never as a formula: openpyxl would store a payee named
``=HYPERLINK(...)`` as a live formula. Strings that a spreadsheet would read as a formula when
edited or saved as CSV (leading ``=``, ``+``, ``-``, ``@``, tab, CR: OWASP "CSV injection") are
also marked quote-prefixed, which keeps the visible text unchanged. A formula goes in only when
the code wraps it in ``Formula``.
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: What makes a spreadsheet read a cell as a formula (OWASP CSV injection guidance).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class Formula(str):
    """A formula the code itself writes (``Formula("=SUM(D2:D9)")``); never user text."""


def write_row(sheet, values) -> None:
    """Append one row; strings as text (quote-prefixed when they look like a formula), and a
    formula only when wrapped in ``Formula``."""
    values = list(values)
    converted = [_cell(v) for v in values]
    sheet.append(converted)
    row = sheet._current_row
    for column, (value, written) in enumerate(zip(values, converted, strict=True), start=1):
        if isinstance(value, Formula):
            sheet.cell(row=row, column=column).data_type = "f"
        elif isinstance(written, str):
            as_text(sheet.cell(row=row, column=column))


def as_text(cell) -> None:
    """Make a cell that holds a string plain text, whatever its first character."""
    cell.data_type = "s"
    if cell.value.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True


def _cell(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, date | Decimal | int | float) or value is None:
        return value
    return str(value)


def build_workbook(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=str(title)[:31])
        write_row(sheet, [str(h) for h in headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            write_row(sheet, row)
        for index, header in enumerate(headers, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, len(str(header)) * 2)
        sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(build_workbook([(filename, headers, rows)]), content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
