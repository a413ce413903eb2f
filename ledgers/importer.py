"""Bulk entry from Excel (R22): the portal hands out a template per ledger, and a filled sheet is
checked row by row through the same form as a typed entry. One bad cell and nothing of the file
is saved; every problem is reported by row number and column letter, so the union can fix the
sheet and upload it again."""

import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core import limits
from core.exports import as_text
from core.files import check_zip

from . import services
from .kinds import BOOL, CHOICE, DATE, MEMBER, MEMBERS, Column, Ledger

#: The header occupies row 1; data start on row 2 (the numbers users see in Excel).
FIRST_DATA_ROW = 2
MAX_ROWS = 2000
NAME_SEPARATORS = re.compile(r"[、,，;；/\n]+")
TRUE_WORDS = {"是", "yes", "y", "true", "1", "√", "x"}
FALSE_WORDS = {"否", "no", "n", "false", "0", ""}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # letter, or "" for the row as a whole
    header: str
    message: str

    def __str__(self):
        where = (
            _("row %(row)s, column %(column)s (%(header)s)")
            % {"row": self.row, "column": self.column, "header": self.header}
            if self.column
            else _("row %(row)s") % {"row": self.row}
        )
        return f"{where}: {self.message}"


class ImportRefused(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


# --- The template --------------------------------------------------------------------------


def _choice_labels(ledger: Ledger, column: Column) -> list[str]:
    return [str(label) for _value, label in ledger.choices_of(column)]


def template_workbook(ledger: Ledger) -> bytes:
    """A sheet with the ledger's columns (required ones marked *) and an instructions sheet
    listing the accepted values, in the language of the request."""
    book = Workbook()
    sheet = book.active
    sheet.title = str(ledger.label)[:31]
    required_fill = PatternFill("solid", fgColor="FDE2E1")
    for index, column in enumerate(ledger.columns, start=1):
        cell = sheet.cell(
            row=1, column=index, value=f"{column.label}{' *' if column.required else ''}"
        )
        cell.font = Font(bold=True)
        if column.required:
            cell.fill = required_fill
        sheet.column_dimensions[get_column_letter(index)].width = max(
            14, len(str(column.label)) * 2
        )
        if column.kind == DATE:
            for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + 500):
                sheet.cell(row=row, column=index).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"

    notes = book.create_sheet(pgettext("import", "Instructions")[:31])
    notes.append([_("Column"), _("Required"), _("What to write"), _("Example")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(ledger.columns, start=1):
        notes.append(
            [
                f"{get_column_letter(index)} · {column.label}",
                _("yes") if column.required else _("no"),
                _how_to_write(ledger, column),
                _example(ledger, column),
            ]
        )
    notes.append([])
    notes.append(
        [
            _(
                "Fill one entry per row from row 2 of the first sheet. If any row has an error, "
                "nothing of the file is saved and every error is listed by row and column."
            )
        ]
    )
    notes.column_dimensions["A"].width = 30
    notes.column_dimensions["C"].width = 70
    notes.column_dimensions["D"].width = 24
    for row in notes.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in [*sheet[1], *(c for row in notes.iter_rows() for c in row)]:
        if isinstance(cell.value, str):
            as_text(cell)  # labels and examples are text, never formulas
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _how_to_write(ledger: Ledger, column: Column) -> str:
    if column.kind == DATE:
        return _("A date, e.g. 2026-03-15.")
    if column.kind == CHOICE:
        return _("One of: %(values)s") % {"values": "；".join(_choice_labels(ledger, column))}
    if column.kind == MEMBERS:
        return _("Names of studio members as recorded on the studio page, separated by 、 or ,")
    if column.kind == MEMBER:
        return _("The name of a studio member as recorded on the studio page.")
    if column.kind == BOOL:
        return _("是 / 否 (yes / no)")
    return _("Text or a number.")


def _example(ledger: Ledger, column: Column) -> str:
    if column.kind == CHOICE:
        return _choice_labels(ledger, column)[0]
    return column.example


# --- Reading a filled sheet ----------------------------------------------------------------


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return str(Decimal(str(value)))
    return str(value).strip()


def _choice_value(ledger: Ledger, column: Column, text: str) -> str:
    """Accept the code, or the label in Chinese or English, so a sheet filled in either language
    imports."""
    wanted = text.strip().lower()
    for value, label in ledger.choices_of(column):
        names = {str(value).lower()}
        for lang in ("zh-hans", "en"):
            with translation.override(lang):
                names.add(str(label).lower())
        if wanted in names:
            return value
    return text  # the form will refuse it as "not one of the available choices"


class _MemberLookup:
    def __init__(self, studio):
        self.by_name = {}
        for member in studio.members.order_by("left_on", "-joined_on"):
            self.by_name.setdefault(member.name, member)

    def ids(self, text: str) -> tuple[list[str], list[str]]:
        names = [n.strip() for n in NAME_SEPARATORS.split(text) if n.strip()]
        found = [str(self.by_name[n].pk) for n in names if n in self.by_name]
        missing = [n for n in names if n not in self.by_name]
        return found, missing


def _row_to_form_data(ledger, values, members: _MemberLookup, letters) -> tuple[dict, dict]:
    data, problems = {}, {}
    for column, raw in zip(ledger.columns, values, strict=False):
        text = _cell_text(raw)
        if column.kind == CHOICE and text:
            data[column.field] = _choice_value(ledger, column, text)
        elif column.kind in (MEMBERS, MEMBER):
            ids, missing = members.ids(text)
            if missing:
                problems[column.field] = _("no studio member named %(names)s") % {
                    "names": "、".join(missing)
                }
            data[column.field] = ids if column.kind == MEMBERS else (ids[0] if ids else "")
        elif column.kind == BOOL:
            lowered = text.lower()
            if lowered not in TRUE_WORDS | FALSE_WORDS:
                problems[column.field] = _("write 是 or 否")
            if lowered in TRUE_WORDS:
                data[column.field] = "on"
        else:
            data[column.field] = text
    return data, problems


def _not_a_workbook():
    return _("This is not an Excel (.xlsx) file made from the template.")


def check_workbook_file(upload) -> None:
    """Before openpyxl opens the file: its size, and from the zip's directory alone the parts'
    declared sizes (openpyxl reads all shared strings into memory on opening), so a file of a few
    hundred KB that would unpack to gigabytes is refused while it is still small."""

    def refused(message):
        return ImportRefused([RowError(0, "", "", message)])

    if getattr(upload, "stopped_at_bytes", None) or upload.size > limits.IMPORT_MAX_FILE_BYTES:
        raise refused(
            _("The file is too large: a filled template may be at most %(max)s MB.")
            % {"max": limits.IMPORT_MAX_FILE_BYTES // limits.MB}
        )
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise refused(_not_a_workbook()) from exc
    finally:
        upload.seek(0)
    try:
        check_zip(infos)
    except ValidationError as exc:
        raise refused(" ".join(exc.messages)) from exc
    for info in infos:
        if info.file_size > limits.IMPORT_MAX_PART_BYTES:
            raise refused(
                _(
                    "The workbook holds %(size)s MB of data once unpacked (%(part)s); a filled "
                    "template may hold at most %(max)s MB in one sheet."
                )
                % {
                    "size": info.file_size // limits.MB,
                    "part": info.filename,
                    "max": limits.IMPORT_MAX_PART_BYTES // limits.MB,
                }
            )


def read_sheet(upload, ledger: Ledger, studio) -> tuple[list[dict], list[RowError]]:
    """Check every row; return the cleaned rows, and the errors (the rows are only usable when
    there are none)."""
    check_workbook_file(upload)
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportRefused([RowError(0, "", "", _not_a_workbook())]) from exc
    sheet = book.worksheets[0]
    letters = [get_column_letter(i) for i in range(1, len(ledger.columns) + 1)]
    headers = {
        c.field: (letter, str(c.label)) for c, letter in zip(ledger.columns, letters, strict=True)
    }
    members = _MemberLookup(studio)
    cleaned_rows, errors, seen_numbers = [], [], {}
    rows = sheet.iter_rows(min_row=FIRST_DATA_ROW, max_col=len(ledger.columns), values_only=True)
    for row_number, values in enumerate(rows, start=FIRST_DATA_ROW):
        if row_number > limits.IMPORT_MAX_SHEET_ROWS:  # every row counts, empty ones too
            errors.append(
                RowError(
                    row_number,
                    "",
                    "",
                    _("the sheet goes on past row %(n)s; delete the rows below your entries")
                    % {"n": limits.IMPORT_MAX_SHEET_ROWS},
                )
            )
            break
        long_cells = [
            i for i, v in enumerate(values) if len(_cell_text(v)) > limits.IMPORT_MAX_CELL_CHARS
        ]
        if long_cells:
            column = ledger.columns[long_cells[0]]
            errors.append(
                RowError(
                    row_number,
                    letters[long_cells[0]],
                    str(column.label),
                    _("too long (at most %(n)s characters)") % {"n": limits.IMPORT_MAX_CELL_CHARS},
                )
            )
            continue
        if all(_cell_text(v) == "" for v in values):
            continue
        if len(cleaned_rows) + len({e.row for e in errors}) >= MAX_ROWS:
            errors.append(
                RowError(row_number, "", "", _("too many rows (at most %(n)s)") % {"n": MAX_ROWS})
            )
            break
        data, problems = _row_to_form_data(ledger, values, members, letters)
        form = ledger.form(data=data, studio=studio)
        row_errors = dict(problems)
        if not form.is_valid():
            for field, messages in form.errors.items():
                if field not in row_errors:
                    row_errors[field] = " ".join(str(m) for m in messages)
        number = form.cleaned_data.get("number") if ledger.slug == "patents" else None
        if number and "number" not in row_errors:
            if number in seen_numbers:
                row_errors["number"] = _("the same patent is also on row %(row)s") % {
                    "row": seen_numbers[number]
                }
            seen_numbers.setdefault(number, row_number)
        for field, message in row_errors.items():
            letter, header = headers.get(field, ("", ""))
            errors.append(RowError(row_number, letter, header, message))
        if not row_errors:
            cleaned_rows.append(form.cleaned_data)
    book.close()
    if not cleaned_rows and not errors:
        errors.append(RowError(FIRST_DATA_ROW, "", "", _("the sheet has no entries")))
    return cleaned_rows, errors


def import_sheet(actor, studio, ledger: Ledger, upload) -> list:
    """Check the whole sheet, then save all of it in one transaction, or raise
    ``ImportRefused`` with every error and save nothing."""
    rows, errors = read_sheet(upload, ledger, studio)
    if errors:
        raise ImportRefused(errors)
    try:
        return services.import_entries(actor, studio, ledger, rows)
    except ValidationError as exc:  # a model constraint the form did not foresee
        raise ImportRefused([RowError(0, "", "", "; ".join(exc.messages))]) from exc
