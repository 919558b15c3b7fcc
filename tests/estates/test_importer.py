"""Excel import of buildings, units and residents (foundation issue, section 3): every bad row is
reported with its row number and reason, and nothing is saved unless every row is good."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from openpyxl import load_workbook

from estates import importer
from estates.models import Building, ContactPreference, Resident, Unit
from tests.estates.conftest import HEADER, upload, workbook_bytes
from tests.factories import BuildingFactory, ResidentFactory, UnitFactory


def counts():
    return Building.objects.count(), Unit.objects.count(), Resident.objects.count()


def run(user, office, rows, **kwargs):
    file = upload(rows, **kwargs)
    return importer.import_estates(user=user, office=office, file=file, name=file.name, size=file.size)


GOOD_ROWS = [
    ["科信小区", "1栋", "101", 1, "是", "否", "张三", "13912345678", "电话"],
    ["科信小区", "1栋", "102", 1, "否", "否", "", "", ""],
    ["科信小区", "2栋", "101", 1, "是", "是", "李四", "13887654321", "短信"],
]


def test_good_rows_create_buildings_units_and_residents(officemanager_a, office_a, community_a):
    result = run(officemanager_a, office_a, GOOD_ROWS)
    assert result.saved and result.errors == []
    assert counts() == (2, 3, 2)
    assert (result.buildings_created, result.units_created, result.residents_created) == (2, 3, 2)
    unit = Unit.objects.get(building__name="2栋", number="101")
    assert unit.building.community == community_a
    assert unit.owner_absent and unit.occupied
    assert not Unit.objects.get(building__name="1栋", number="102").occupied
    resident = Resident.objects.get(name="李四")
    assert resident.phone == "13887654321"
    assert resident.preferred_contact == ContactPreference.SMS


def test_reimport_updates_units_and_dedupes_residents_by_unit_and_name(officemanager_a, office_a, community_a):
    run(officemanager_a, office_a, GOOD_ROWS)
    changed = [["科信小区", "1栋", "101", 1, "否", "是", "张三", "13700000000", "微信"]]
    result = run(officemanager_a, office_a, changed)
    assert result.saved
    assert counts() == (2, 3, 2)
    assert (result.units_updated, result.residents_updated, result.residents_created) == (1, 1, 0)
    unit = Unit.objects.get(building__name="1栋", number="101")
    assert (unit.occupied, unit.owner_absent) == (False, True)
    assert Resident.objects.get(name="张三").phone == "13700000000"


def test_every_bad_row_is_reported_with_its_number_and_nothing_is_saved(officemanager_a, office_a, community_a):
    BuildingFactory(community=community_a, name="9栋")
    before = counts()
    rows = [
        GOOD_ROWS[0],  # row 2: good
        ["不存在小区", "1栋", "103", 1, "是", "否", "", "", ""],  # row 3: unknown community
        ["科信小区", "", "104", 1, "是", "否", "", "", ""],  # row 4: no building
        ["科信小区", "1栋", "105", "三楼", "也许", "否", "", "", ""],  # row 5: floor and occupied
        ["科信小区", "1栋", "106", 1, "是", "否", "", "13912345678", ""],  # row 6: phone without name
        ["科信小区", "1栋", "107", 1, "是", "否", "王五", "12ab", "飞鸽"],  # row 7: phone and contact
        GOOD_ROWS[2],  # row 8: good
    ]
    with translation.override("en"):
        result = run(officemanager_a, office_a, rows)
    assert not result.saved
    assert [e.row for e in result.errors] == [3, 4, 5, 6, 7]
    messages = {e.row: e.message for e in result.errors}
    assert "no community named “不存在小区”" in messages[3]
    assert "building is missing" in messages[4]
    assert "floor “三楼”" in messages[5] and "“也许”" in messages[5]
    assert "no resident name" in messages[6]
    assert "phone number “12ab”" in messages[7] and "unknown preferred contact “飞鸽”" in messages[7]
    assert counts() == before


def test_bad_row_reasons_are_translated_to_chinese(officemanager_a, office_a, community_a):
    with translation.override("zh-hans"):
        result = run(officemanager_a, office_a, [["科信小区", "", "104", 1, "是", "否", "", "", ""]])
    assert result.errors[0].message == "缺少楼栋"


def test_duplicated_unit_rows_are_an_error(officemanager_a, office_a, community_a):
    rows = [GOOD_ROWS[0], GOOD_ROWS[1], ["科信小区", "1栋", "101", 1, "是", "否", "赵六", "", ""]]
    with translation.override("en"):
        result = run(officemanager_a, office_a, rows)
    assert [(e.row, e.message) for e in result.errors] == [(4, "the same unit is already in row 2")]
    assert counts() == (0, 0, 0)


def test_phone_typed_into_a_number_cell_is_read_as_text(officemanager_a, office_a, community_a):
    # Excel stores 13912345678 typed into a General cell as the float 13912345678.0.
    rows = [["科信小区", "1栋", 1203.0, 12.0, "是", "否", "张三", 13912345678.0, "电话"]]
    result = run(officemanager_a, office_a, rows)
    assert result.saved
    resident = Resident.objects.get()
    assert resident.phone == "13912345678"
    assert resident.unit.number == "1203"
    assert resident.unit.floor == 12


def test_cell_text_keeps_integers_and_text():
    assert importer.cell_text(13912345678.0) == "13912345678"
    assert importer.cell_text(13912345678) == "13912345678"
    assert importer.cell_text(" 0755-26001234 ") == "0755-26001234"
    assert importer.cell_text(None) == ""
    assert importer.cell_text(12.5) == "12.5"


def test_english_headers_are_accepted(officemanager_a, office_a, community_a):
    header = ["Community", "Building", "Unit number", "Floor", "Occupied", "Owner lives elsewhere", "Resident name",
              "Phone", "Preferred contact"]  # fmt: skip
    rows = [["科信小区", "1栋", "101", 1, "yes", "no", "张三", "13912345678", "phone"]]
    result = run(officemanager_a, office_a, rows, header=header)
    assert result.saved and counts() == (1, 1, 1)


def test_community_of_another_office_is_rejected(officemanager_a, office_a, community_a, community_b):
    rows = [["翠湖苑", "1栋", "101", 1, "是", "否", "张三", "13912345678", ""]]
    with translation.override("en"):
        result = run(officemanager_a, office_a, rows)
    assert not result.saved
    assert result.errors[0].row == 2 and "no community named “翠湖苑”" in result.errors[0].message
    assert counts() == (0, 0, 0)


def test_importing_into_an_office_not_ones_own_is_refused(officemanager_a, office_b, community_b):
    with pytest.raises(PermissionDenied):
        run(officemanager_a, office_b, [["翠湖苑", "1栋", "101", 1, "是", "否", "", "", ""]])
    assert counts() == (0, 0, 0)


def test_front_desk_may_not_import(frontdesk_a, office_a, community_a):
    with pytest.raises(PermissionDenied):
        run(frontdesk_a, office_a, GOOD_ROWS)


@pytest.mark.parametrize(
    ("name", "content", "size", "message"),
    [
        ("units.xls", b"whatever", None, "Please upload an Excel workbook \\(.xlsx\\)"),
        ("units.csv", b"a,b,c", None, "Please upload an Excel workbook \\(.xlsx\\)"),
        ("units.xlsx", b"this is not a zip file", None, "could not be read as an Excel workbook"),
        ("units.xlsx", b"x", importer.MAX_FILE_BYTES + 1, "The file is too large"),
    ],
)
def test_wrong_file_is_rejected_with_a_clear_message(name, content, size, message):
    with translation.override("en"), pytest.raises(importer.ImportFileError, match=message):
        importer.read_workbook(io.BytesIO(content), name=name, size=size)


def test_missing_required_columns_are_named():
    content = workbook_bytes([["科信小区", "101"]], header=["小区", "房号"])
    with translation.override("en"), pytest.raises(importer.ImportFileError, match="missing: Building"):
        importer.read_workbook(io.BytesIO(content), name="u.xlsx")


def test_header_only_sheet_is_rejected():
    with translation.override("en"), pytest.raises(importer.ImportFileError, match="no rows"):
        importer.read_workbook(io.BytesIO(workbook_bytes([])), name="u.xlsx")


def test_empty_rows_are_skipped_and_row_numbers_stay_those_of_excel(officemanager_a, office_a, community_a):
    rows = [GOOD_ROWS[0], [None] * 9, ["科信小区", "", "104", 1, "是", "否", "", "", ""]]
    result = run(officemanager_a, office_a, rows)
    assert [e.row for e in result.errors] == [4]


def test_known_resident_in_the_unit_is_updated_not_duplicated(officemanager_a, office_a, community_a):
    unit = UnitFactory(building=BuildingFactory(community=community_a, name="1栋"), number="101")
    ResidentFactory(unit=unit, name="张三", phone="13000000000")
    result = run(officemanager_a, office_a, [GOOD_ROWS[0]])
    assert result.saved and Resident.objects.filter(unit=unit, name="张三").count() == 1
    assert Resident.objects.get(unit=unit).phone == "13912345678"


def test_save_refuses_a_plan_with_errors(office_a):
    plan = importer.ImportPlan(office=office_a, errors=[importer.RowError(row=2, message="x")])
    with pytest.raises(ValueError):
        importer.save(plan)


def test_template_round_trips_through_the_importer(officemanager_a, office_a, community_a):
    content = importer.template_workbook()
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet["H2"].number_format == "@"  # the phone column is text
    rows = importer.read_workbook(io.BytesIO(content), name="template.xlsx")
    plan = importer.parse(rows, office=office_a)
    assert plan.errors == [] and len(plan.rows) == 2


def test_save_takes_a_fixed_number_of_queries(officemanager_a, office_a, community_a, django_assert_max_num_queries):
    rows = [["科信小区", f"{b}栋", f"{n}", 1, "是", "否", f"住户{b}{n}", "13912345678", ""] for b in range(1, 4)
            for n in range(101, 141)]  # fmt: skip
    plan = importer.parse(importer.read_workbook(upload(rows), name="u.xlsx"), office=office_a)
    with django_assert_max_num_queries(12):
        importer.save(plan)
    assert counts() == (3, 120, 120)


def test_uploaded_workbooks_are_parsed_with_defusedxml():
    # openpyxl switches to defusedxml only when it is installed (requirements.txt): an uploaded .xlsx
    # is untrusted XML.
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML
