"""The Excel side of the estates import: the accepted columns, reading a workbook into rows of text
(a file-level problem raises ImportFileError) and the template offices fill in. estates.importer
validates and saves the rows."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Column key -> accepted headers (compared without spaces, case-insensitively). The first is the one
# written into the template.
COLUMNS: dict[str, tuple[str, ...]] = {
    "community": ("小区", "小区名称", "community"),
    "building": ("楼栋", "楼号", "栋", "building"),
    "number": ("房号", "房间号", "单元号", "unit", "unitnumber", "number"),
    "floor": ("楼层", "floor"),
    "occupied": ("入住", "是否入住", "已入住", "occupied"),
    "owner_absent": ("业主外住", "业主不在住", "ownerliveselsewhere", "ownerabsent"),
    "name": ("住户姓名", "姓名", "业主姓名", "residentname", "resident", "name"),
    "phone": ("联系电话", "电话", "手机", "手机号", "phone", "phonenumber", "mobile"),
    "preferred_contact": ("首选联系方式", "联系方式", "preferredcontact", "contact"),
}
REQUIRED_COLUMNS = ("community", "building", "number")
COLUMN_LABELS = {
    "community": gettext_lazy("Community"),
    "building": gettext_lazy("Building"),
    "number": gettext_lazy("Unit number"),
    "floor": gettext_lazy("Floor"),
    "occupied": gettext_lazy("Occupied (yes/no)"),
    "owner_absent": gettext_lazy("Owner lives elsewhere (yes/no)"),
    "name": gettext_lazy("Resident name"),
    "phone": gettext_lazy("Phone"),
    "preferred_contact": gettext_lazy("Preferred contact"),
}


class ImportFileError(Exception):
    """The file as a whole cannot be read (type, size, sheet, header)."""


def norm_header(value: Any) -> str:
    """A header or alias compared without spaces, brackets or case."""
    return re.sub(r"[\s_()（）/]+", "", str(value or "")).lower()


_HEADER_LOOKUP = {norm_header(alias): key for key, aliases in COLUMNS.items() for alias in aliases}


def cell_text(value: Any) -> str:
    """A cell as the office typed it. Excel stores a phone or unit number typed into a number cell
    as a float: 13912345678.0 must read back as "13912345678", not "13912345678.0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).strip()


def read_workbook(file: IO[bytes], *, name: str = "", size: int | None = None) -> list[tuple[int, dict[str, str]]]:
    """The data rows of the first sheet, as (row number, {column key: text}); empty rows skipped."""
    if name and not name.lower().endswith(".xlsx"):
        raise ImportFileError(
            _("Please upload an Excel workbook (.xlsx). Save older .xls or .csv files as .xlsx first.")
        )
    if size is not None and size > MAX_FILE_BYTES:
        raise ImportFileError(
            _("The file is too large (%(size)d KB); the limit is %(limit)d KB.")
            % {"size": size // 1024, "limit": MAX_FILE_BYTES // 1024}
        )
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportFileError(_("The file could not be read as an Excel workbook (.xlsx).")) from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise ImportFileError(_("The workbook has no sheet."))
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise ImportFileError(_("The sheet is empty."))
        columns: dict[int, str] = {}
        for index, value in enumerate(header):
            key = _HEADER_LOOKUP.get(norm_header(value))
            if key is not None and key not in columns.values():
                columns[index] = key
        missing = [str(COLUMN_LABELS[k]) for k in REQUIRED_COLUMNS if k not in columns.values()]
        if missing:
            raise ImportFileError(
                _("The first row must be the header; these columns are missing: %(columns)s.")
                % {"columns": "、".join(missing)}
            )
        data: list[tuple[int, dict[str, str]]] = []
        for row_number, values in enumerate(rows, start=2):
            record = {key: cell_text(values[i]) if i < len(values) else "" for i, key in columns.items()}
            if not any(record.values()):
                continue
            if len(data) >= MAX_ROWS:
                raise ImportFileError(
                    _("The sheet has more than %(limit)d rows; split it into several files.") % {"limit": MAX_ROWS}
                )
            data.append((row_number, record))
        if not data:
            raise ImportFileError(_("The sheet has a header but no rows."))
        return data
    finally:
        workbook.close()


# 2. Validation ----------------------------------------------------------------------------------


def template_workbook() -> bytes:
    """A workbook with the header row and two example rows; the number columns are formatted as
    text so Excel keeps a phone number's digits and a unit number's leading zeros."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "units"
    keys = list(COLUMNS)
    sheet.append([COLUMNS[k][0] for k in keys])
    examples = [
        ["科信小区", "1栋", "0101", "1", "是", "否", "张三", "13912345678", "电话"],
        ["科信小区", "1栋", "0102", "1", "是", "是", "李四", "13887654321", "短信"],
    ]
    for example in examples:
        sheet.append(example)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    text_columns = {keys.index(k) + 1 for k in ("building", "number", "phone")}
    for column in range(1, len(keys) + 1):
        cell = sheet.cell(row=1, column=column)
        cell.font, cell.fill = bold, fill
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = 16
        if column in text_columns:
            # "@" is Excel's text format; set on the first thousand rows the office will fill in.
            for row in range(2, 1001):
                sheet.cell(row=row, column=column).number_format = "@"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
