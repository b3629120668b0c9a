"""CSV (UTF-8 with BOM, so that Excel shows Korean) and XLSX files of the dashboard's tables."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from app.stats.tables import Percent, Table, display

FORMATS = ("csv", "xlsx")
_RISKY_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run these as formulas
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _text(value: str) -> str:
    return "'" + value if value.startswith(_RISKY_START) else value


def _csv_cell(value) -> str:
    return _text(value) if isinstance(value, str) else display(value, grouped=False)


def table_csv(table: Table) -> bytes:
    """One table as CSV: the header row (in the reader's language), then the rows; UTF-8 with
    BOM, CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_text(head) for head in table.heads])
    writer.writerows([_csv_cell(value) for value in row] for row in table.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_title(table: Table, taken: set[str]) -> str:
    title = _SHEET_FORBIDDEN.sub(" ", table.title)[:28].strip() or table.name
    candidate, number = title, 2
    while candidate in taken:
        candidate, number = f"{title[:26]} {number}", number + 1
    taken.add(candidate)
    return candidate


def _fill(sheet, table: Table) -> None:
    sheet.append([_text(head) for head in table.heads])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in table.rows:
        sheet.append([_text(v) if isinstance(v, str) else (
            float(v) if isinstance(v, Percent) else v) for v in row])
        for cell, value in zip(sheet[sheet.max_row], row, strict=True):
            if isinstance(value, Percent):
                cell.number_format = "0.0%"
            elif isinstance(value, Decimal):
                cell.number_format = "#,##0.00"
            elif isinstance(value, int) and not isinstance(value, bool):
                cell.number_format = "#,##0"
            elif isinstance(value, float):
                cell.number_format = "#,##0.0"
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
    for index, head in enumerate(table.heads, start=1):
        width = max([len(head)] + [len(str(row[index - 1])) for row in table.rows])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 10), 60)


def tables_xlsx(tables: list[Table], title: str = "Onestop") -> bytes:
    """A workbook with one sheet per table, header row first."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = title
    taken: set[str] = set()
    for table in tables:
        _fill(workbook.create_sheet(_sheet_title(table, taken)), table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
