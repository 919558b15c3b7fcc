"""Fixtures of the estates tests: an office manager of office A (who may import) and workbooks."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from estates.models import Role
from tests.factories import CommunityFactory, UserFactory

HEADER = ["小区", "楼栋", "房号", "楼层", "入住", "业主外住", "住户姓名", "联系电话", "首选联系方式"]


@pytest.fixture
def officemanager_a(office_a):
    return UserFactory(
        username="officemanager_a", role=Role.OFFICE_MANAGER, company=office_a.company, offices=[office_a]
    )


@pytest.fixture
def community_a(office_a):
    return CommunityFactory(office=office_a, name="科信小区")


@pytest.fixture
def community_b(office_b):
    return CommunityFactory(office=office_b, name="翠湖苑")


def workbook_bytes(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if header is not None:
        sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(rows, header=HEADER, name="units.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name,
        workbook_bytes(rows, header),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
