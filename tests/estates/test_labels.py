"""One label per concept (STYLE.md 16): a unit is always 小区 + 楼栋 + 房号, and `__str__` never follows a
foreign key, so a list of rows costs no query per row."""

from __future__ import annotations

import pytest
from django.apps import apps

from estates.models import Building, Department, Unit, format_unit_label
from tests.factories import DepartmentFactory, ResidentFactory


def test_unit_label_has_community_building_and_number(unit_a):
    unit = Unit.objects.select_related("building__community").get(pk=unit_a.pk)
    assert unit.label == f"{unit.building.community.name} {unit.building.name}-{unit.number}"
    assert format_unit_label("科信小区", "3栋", "1203") == "科信小区 3栋-1203"


def test_department_label_names_its_office(office_a, company):
    dept = DepartmentFactory(company=company, office=office_a, name="工程部")
    assert Department.objects.select_related("office").get(pk=dept.pk).label == f"{office_a.name} 工程部"


def test_str_never_follows_a_foreign_key(django_assert_num_queries, unit_a, office_a, company):
    dept = DepartmentFactory(company=company, office=office_a)
    ResidentFactory(unit=unit_a)
    rows = [
        Unit.objects.get(pk=unit_a.pk),
        Building.objects.get(pk=unit_a.building_id),
        Department.objects.get(pk=dept.pk),
    ]
    with django_assert_num_queries(0):
        for row in rows:
            str(row)


@pytest.mark.django_db
def test_every_product_model_str_reads_no_foreign_key():
    """Source check over every model of the product apps: no `__str__` formats `self.<fk>`."""
    import inspect

    offending = []
    for model in apps.get_models():
        if model._meta.app_label not in {"estates", "clock", "complaints", "feedback", "surveys", "inspections"}:
            continue
        if "__str__" not in model.__dict__:
            continue
        source = inspect.getsource(model.__dict__["__str__"])
        for field in model._meta.get_fields():
            if field.is_relation and (field.many_to_one or field.one_to_one) and field.concrete:
                if f"self.{field.name}" in source.replace(f"self.{field.name}_id", ""):
                    offending.append(f"{model.__name__}.{field.name}")
    assert not offending, offending
