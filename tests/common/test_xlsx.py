"""The shared Excel helpers: free text never runs as a formula, phones stay text, times in Shanghai."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from openpyxl import Workbook, load_workbook

from common.xlsx import Column, add_form_sheet, workbook_bytes, xlsx_response

DANGEROUS = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "=cmd|' /C calc'!A0"]


def _build():
    wb = Workbook()
    rows = [[text, "13800138000", dt.datetime(2026, 10, 1, 1, 30, tzinfo=dt.UTC), 3] for text in DANGEROUS]
    add_form_sheet(
        wb,
        title="顾客投诉(建议)处理记录表",
        form_code="WY8.3-G01-F1",
        columns=[Column("内容", 30), Column("电话", 14, kind="text"), Column("时间"), Column("数量")],
        rows=rows,
    )
    return workbook_bytes(wb)


def test_no_cell_is_ever_a_formula_and_text_reads_back_unchanged():
    data = _build()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    ws = load_workbook(io.BytesIO(data)).active
    contents = [ws.cell(row=r, column=1).value for r in range(4, 4 + len(DANGEROUS))]
    assert contents == DANGEROUS
    assert all(ws.cell(row=r, column=1).data_type == "s" for r in range(4, 4 + len(DANGEROUS)))
    assert all(ws.cell(row=r, column=1).quotePrefix for r in range(4, 4 + len(DANGEROUS)))


def test_phone_numbers_stay_text_and_times_are_shanghai_wall_time():
    ws = load_workbook(io.BytesIO(_build())).active
    assert ws["B4"].value == "13800138000" and ws["B4"].data_type == "s"
    assert ws["C4"].value == dt.datetime(2026, 10, 1, 9, 30)  # 01:30 UTC = 09:30 in Shanghai
    assert ws["D4"].value == 3
    assert ws["A1"].value == "顾客投诉(建议)处理记录表"
    assert "WY8.3-G01-F1" in ws["A2"].value
    assert ws.print_title_rows == "$3:$3"


def test_response_is_a_download_with_the_chinese_file_name():
    wb = Workbook()
    add_form_sheet(wb, title="t", form_code="X", columns=[Column("a")], rows=[["=1"]])
    response = xlsx_response(wb, "工作信息记录本.xlsx")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def test_streamed_register_keeps_text_text_and_the_form_layout():
    from common.xlsx import register_workbook

    rows = ([text, "13800138000", dt.datetime(2026, 10, 1, 1, 30, tzinfo=dt.UTC)] for text in DANGEROUS)
    wb = register_workbook(
        title="工作信息记录本",
        form_code="WY7.2.3-G01-F2",
        columns=[Column("内容", 30), Column("电话", 14, kind="text"), Column("时间")],
        rows=rows,
    )
    data = workbook_bytes(wb)
    xml = _sheet_xml(data)
    assert "<f>" not in xml and "<f " not in xml
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A1"].value == "工作信息记录本" and ws["A2"].value == "WY7.2.3-G01-F2"
    assert [ws.cell(row=r, column=1).value for r in range(4, 4 + len(DANGEROUS))] == DANGEROUS
    assert all(ws.cell(row=r, column=1).quotePrefix for r in range(4, 4 + len(DANGEROUS)))
    assert ws["B4"].value == "13800138000" and ws["B4"].data_type == "s"
    assert ws["C4"].value == dt.datetime(2026, 10, 1, 9, 30)
    assert ws.print_title_rows == "$3:$3" and ws.freeze_panes == "A4"
    assert "A1:C1" in {str(r) for r in ws.merged_cells.ranges}


def test_record_sheet_is_label_and_value_with_empty_boxes_kept():
    from common.xlsx import add_record_sheet

    wb = Workbook()
    add_record_sheet(
        wb,
        title="顾客投诉(建议)处理记录表",
        form_code="WY8.3-G01-F1",
        fields=[("内容", '=HYPERLINK("http://evil","x")'), ("电话", "13800138000"), ("品质部意见", None)],
    )
    data = workbook_bytes(wb)
    assert "<f>" not in _sheet_xml(data)
    ws = load_workbook(io.BytesIO(data)).active
    assert [(ws.cell(row=r, column=1).value, ws.cell(row=r, column=2).value) for r in range(3, 6)] == [
        ("内容", '=HYPERLINK("http://evil","x")'),
        ("电话", "13800138000"),
        ("品质部意见", None),
    ]
    assert ws["B4"].data_type == "s"


def test_register_body_styles_are_made_once_and_cells_stay_text():
    # Issue 10: body cells take ready-made style arrays; no Border/Alignment lookup per cell.
    import datetime as dt

    from common.xlsx import register_workbook, xlsx_file_response

    rows = [["=HYPERLINK(1)", "13800138000", dt.datetime(2026, 3, 1, 9, 0), n] for n in range(500)]
    columns = [Column("a"), Column("phone", kind="text"), Column("when"), Column("n")]
    wb = register_workbook(title="t", form_code="X", columns=columns, rows=rows)
    response = xlsx_file_response(wb, "登记.xlsx")
    data = b"".join(response.streaming_content)
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A4"].value == "=HYPERLINK(1)" and ws["A4"].data_type == "s"
    assert ws["B4"].value == "13800138000" and ws["B4"].data_type == "s"
    assert ws["C4"].number_format == "yyyy-mm-dd hh:mm" and ws["D503"].value == 499
    assert ws["A4"].border.left.style == "thin" and ws["D503"].alignment.wrap_text
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        styles = archive.read("xl/styles.xml").decode()
    assert styles.count("<xf ") < 20  # a handful of styles for 2,000 body cells
    assert response["Content-Disposition"].startswith("attachment;")
