"""common.db.create_once: one row however often it is asked for."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from common.db import create_once
from estates.models import Company


@pytest.mark.django_db
def test_create_once_answers_the_row_that_won():
    first, created = create_once(lambda: Company.objects.create(name="甲"), lambda: None)
    assert created
    again, created = create_once(
        lambda: Company.objects.create(name="甲"), lambda: Company.objects.filter(name="甲").first()
    )
    assert (again, created) == (first, False)
    assert Company.objects.filter(name="甲").count() == 1


@pytest.mark.django_db
def test_create_once_reraises_when_nothing_is_found():
    Company.objects.create(name="乙")
    with pytest.raises(IntegrityError):
        create_once(lambda: Company.objects.create(name="乙"), lambda: None)
