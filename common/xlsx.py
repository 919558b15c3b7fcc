"""Excel workbooks laid out like the paper forms, written with openpyxl.

One place for what every export needs (issue 3, "Exports and printing"):
- free text can never run as a formula: every string cell is stored as text (data type "s") with the
  quote-prefix style, so a resident who types "=HYPERLINK(...)" or "+86 138…" sees exactly that, and a
  cell the clerk later edits stays text;
- phone numbers and record numbers stay readable text (no 1.38E+10, no lost leading zero);
- datetimes are written in Asia/Shanghai wall time (Excel has no time zones), dates as dates;
- a form title row, a form-code row (e.g. "WY8.3-G01-F1"), a header row, the rows, printed on A4 with
  the header repeated on every page.

Surveys and inspections use the same helpers for their records.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from decimal import Decimal

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .text import strip_control

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", fgColor="E9ECEF")
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Column:
    title: str
    width: int = 14
    # "text" keeps digits as text (phones, numbers); "auto" writes numbers, dates and text as they are.
    kind: str = "auto"


def cell_value(value):
    """The value to store: aware datetimes in Shanghai wall time (naive, as Excel wants), None as empty."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal | dt.date):
        return value
    # A control character (typed before forms stripped them) would make openpyxl refuse the whole
    # workbook: one bad row must never break an export (hardening issue, items 1 and 5).
    return strip_control(str(value))


def write_cell(ws: Worksheet, row: int, column: int, value, *, text: bool = False):
    """Write one cell so that it can never become a formula. Returns the cell."""
    return _fill(ws.cell(row=row, column=column), value, text=text)


def _fill(cell, value, *, text: bool = False):
    """Set a cell's value so that it can never become a formula (normal and write-only cells)."""
    value = cell_value(value)
    if text and value is not None and not isinstance(value, str):
        value = str(value)
    if isinstance(value, str):
        # Assigning a string that starts with "=" makes openpyxl store a formula; set the text type
        # explicitly instead, and quote-prefix it so that Excel keeps it text if the cell is edited.
        cell.value = value
        cell.data_type = "s"
        if value.startswith(FORMULA_TRIGGERS) or text:
            cell.quotePrefix = True
    else:
        cell.value = value
        if isinstance(value, dt.datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"
    return cell


def add_form_sheet(
    wb: Workbook,
    *,
    title: str,
    form_code: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    subtitle: str = "",
    sheet_title: str | None = None,
) -> Worksheet:
    """One sheet laid out like a paper form: title, form code and subtitle, header, bordered rows."""
    ws = wb.active if (len(wb.worksheets) == 1 and wb.active.max_row == 1 and wb.active["A1"].value is None) else None
    if ws is None:
        ws = wb.create_sheet()
    ws.title = (sheet_title or form_code or title)[:31].replace("/", "-")
    width = max(len(columns), 1)
    last = get_column_letter(width)

    ws.merge_cells(f"A1:{last}1")
    title_cell = write_cell(ws, 1, 1, title)
    title_cell.font = Font(size=14, bold=True)
    title_cell.alignment = Alignment(horizontal="center")
    ws.row_dimensions[1].height = 24
    ws.merge_cells(f"A2:{last}2")
    write_cell(ws, 2, 1, "  ".join(part for part in (form_code, subtitle) if part)).alignment = Alignment(
        horizontal="right"
    )

    header_row = 3
    for index, column in enumerate(columns, start=1):
        cell = write_cell(ws, header_row, index, column.title)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(index)].width = column.width

    for row_number, row in enumerate(rows, start=header_row + 1):
        for index, column in enumerate(columns, start=1):
            value = row[index - 1] if index - 1 < len(row) else None
            cell = write_cell(ws, row_number, index, value, text=column.kind == "text")
            cell.border = BORDER
            cell.alignment = WRAP

    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    _a4(ws, landscape=width > 7)
    return ws


def _a4(ws, *, landscape: bool) -> None:
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True


def register_workbook(
    *,
    title: str,
    form_code: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    subtitle: str = "",
    sheet_title: str | None = None,
) -> Workbook:
    """A register (one row per record) in a write-only workbook: rows are written as they come from
    the iterator, so memory does not grow with the rows (DESIGN.md "Scale": exports stream). Same
    layout and the same never-a-formula cells as add_form_sheet."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet((sheet_title or form_code or title)[:31].replace("/", "-"))
    width = max(len(columns), 1)
    last = get_column_letter(width)
    # Column widths and panes must be set before the first row is written.
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    _a4(ws, landscape=width > 7)

    def one(value, **style):
        cell = _fill(WriteOnlyCell(ws), value, text=style.pop("text", False))
        for name, attr in style.items():
            setattr(cell, name, attr)
        return cell

    ws.merged_cells.add(f"A1:{last}1")
    ws.merged_cells.add(f"A2:{last}2")
    ws.append([one(title, font=Font(size=14, bold=True), alignment=Alignment(horizontal="center"))])
    ws.append([one("  ".join(part for part in (form_code, subtitle) if part), alignment=Alignment(horizontal="right"))])
    header_alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.append(
        [
            one(column.title, font=Font(bold=True), fill=HEADER_FILL, border=BORDER, alignment=header_alignment)
            for column in columns
        ]
    )
    styles = _body_styles(ws)
    texts = [column.kind == "text" for column in columns]
    for row in rows:
        ws.append([_body_cell(ws, row[i] if i < len(row) else None, texts[i], styles) for i in range(len(columns))])
    return wb


def _body_styles(ws) -> dict[str, StyleArray]:
    """The body cells' styles, made once per workbook (issue 10): assigning a Border or Alignment to a
    cell looks the object up by hash in the workbook's style lists, and doing that for every cell was
    half the time of a 10,000-row export. Every body column has the same frame; only the number format
    (dates) and the quote prefix (text) vary, so four style arrays serve every cell."""
    base = WriteOnlyCell(ws)
    base.border = BORDER
    base.alignment = WRAP
    styles = {"plain": copy(base._style)}
    for name, fmt in (("datetime", "yyyy-mm-dd hh:mm"), ("date", "yyyy-mm-dd")):
        cell = WriteOnlyCell(ws)
        cell._style = copy(base._style)
        cell.number_format = fmt
        styles[name] = copy(cell._style)
    quoted = copy(base._style)
    quoted.quotePrefix = 1
    styles["quoted"] = quoted
    return styles


def _body_cell(ws, value, text: bool, styles: dict[str, StyleArray]) -> WriteOnlyCell:
    """A body cell as _fill makes it (never a formula), with a ready-made style."""
    cell = WriteOnlyCell(ws)
    value = cell_value(value)
    if text and value is not None and not isinstance(value, str):
        value = str(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        style = "quoted" if text or value.startswith(FORMULA_TRIGGERS) else "plain"
    elif isinstance(value, dt.datetime):
        style = "datetime"
    elif isinstance(value, dt.date):
        style = "date"
    else:
        style = "plain"
    cell._style = copy(styles[style])
    return cell


def add_record_sheet(
    wb: Workbook,
    *,
    title: str,
    form_code: str,
    fields: Sequence[tuple[str, object]],
    subtitle: str = "",
    sheet_title: str | None = None,
    label_width: int = 20,
    value_width: int = 64,
) -> Worksheet:
    """One record laid out like its paper form: title, form code, then a box per field, the label on
    the left and the value on the right. A value of None leaves the box empty (a box the paper form
    keeps for a signature or an opinion written by hand)."""
    ws = wb.active if (len(wb.worksheets) == 1 and wb.active.max_row == 1 and wb.active["A1"].value is None) else None
    if ws is None:
        ws = wb.create_sheet()
    ws.title = (sheet_title or form_code or title)[:31].replace("/", "-")
    ws.column_dimensions["A"].width = label_width
    ws.column_dimensions["B"].width = value_width
    ws.merge_cells("A1:B1")
    title_cell = write_cell(ws, 1, 1, title)
    title_cell.font = Font(size=14, bold=True)
    title_cell.alignment = Alignment(horizontal="center")
    ws.row_dimensions[1].height = 24
    ws.merge_cells("A2:B2")
    write_cell(ws, 2, 1, "  ".join(part for part in (form_code, subtitle) if part)).alignment = Alignment(
        horizontal="right"
    )
    for row, (label, value) in enumerate(fields, start=3):
        label_cell = write_cell(ws, row, 1, label)
        label_cell.font = Font(bold=True)
        label_cell.fill = HEADER_FILL
        label_cell.border = BORDER
        label_cell.alignment = Alignment(vertical="top", wrap_text=True)
        value_cell = write_cell(ws, row, 2, value, text=isinstance(value, str))
        value_cell.border = BORDER
        value_cell.alignment = WRAP
        # Excel does not grow a row for wrapped text by itself: about 30 CJK characters a line.
        text = str(value_cell.value or "")
        lines = sum(max(1, -(-len(part) // 30)) for part in text.split("\n")) if text else 1
        ws.row_dimensions[row].height = max(20, min(15 * lines + 6, 400)) if value is not None else 48
    _a4(ws, landscape=False)
    return ws


def workbook_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_response(wb: Workbook, filename: str) -> HttpResponse:
    """A download (never shown inline); the file name may be Chinese (RFC 6266 via Django). For a
    one-record workbook; a register uses xlsx_file_response."""
    response = HttpResponse(workbook_bytes(wb), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def xlsx_file_response(wb: Workbook, filename: str) -> FileResponse:
    """xlsx_response for a register of any length: saved to a temporary file and streamed from it in
    blocks (issue 10), so memory stays flat however many rows (a write-only sheet already spools its
    rows to disk as they are appended; the zip is written to disk too, not to a bytes object)."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response when it has been sent
    wb.save(spool)
    spool.seek(0)
    response = FileResponse(spool, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
