"""Hardening issue, item 7: a form posted in another charset gets the product's 400 page; free text has
limits (form with a counter, and service); an intake without its form token says why and can be resent;
a missing CSRF token shows the product's "form expired" page."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from complaints.models import Complaint
from tests.complaints.test_views import _intake_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "content_type",
    [
        "application/x-www-form-urlencoded; charset=gbk",
        "application/x-www-form-urlencoded; charset=x-no-such-codec",
        "multipart/form-data; boundary=BoUnDaRy; charset=gbk",
    ],
)
def test_a_form_in_another_charset_gets_the_products_400_page(client_a, content_type):
    body = b"content=\xd6\xd0" if "urlencoded" in content_type else b"--BoUnDaRy--\r\n"
    # generic(): the body goes as these bytes, whatever the charset says.
    response = client_a.generic("POST", reverse("complaints:create"), data=body, content_type=content_type)
    assert response.status_code == 400
    assert "tj-error" in response.content.decode()
    assert not Complaint.objects.exists()


def test_utf8_forms_still_work(frozen, client_a, office_a):
    response = client_a.post(reverse("complaints:create"), _intake_data(office_a))
    assert response.status_code == 302
    assert Complaint.objects.count() == 1


def test_a_million_character_complaint_is_refused_by_the_form(frozen, client_a, office_a):
    response = client_a.post(reverse("complaints:create"), _intake_data(office_a, content="投" * 1_000_000))
    assert response.status_code == 200
    assert response.context["form"].errors["content"]
    assert not Complaint.objects.exists()


def test_a_million_character_complaint_is_refused_by_the_service(frozen, make_complaint):
    with pytest.raises(ValidationError) as info:
        make_complaint(content="投" * 1_000_000)
    assert "content" in info.value.message_dict


def test_free_text_boxes_carry_their_limit_and_a_counter(frozen, client_a):
    html = client_a.get(reverse("complaints:create")).content.decode()
    assert 'maxlength="2000"' in html and "data-tj-counter" in html


def test_intake_without_its_form_token_says_why_and_can_be_resent(frozen, client_a, office_a):
    data = _intake_data(office_a)
    del data["form_token"]
    response = client_a.post(reverse("complaints:create"), data)
    assert response.status_code == 200
    assert not Complaint.objects.exists()
    form = response.context["form"]
    assert form.non_field_errors()
    assert any(str(e) in response.content.decode() for e in form.non_field_errors())
    fresh = form["form_token"].value()
    assert fresh and "电梯异响" in response.content.decode()  # what was typed is kept
    again = client_a.post(reverse("complaints:create"), {**data, "form_token": fresh})
    assert again.status_code == 302
    assert Complaint.objects.count() == 1


def test_intake_without_csrf_token_shows_the_form_expired_page(frozen, frontdesk_a, office_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(frontdesk_a)
    response = client.post(reverse("complaints:create"), _intake_data(office_a))
    assert response.status_code == 403
    assert "tj-error" in response.content.decode()
    assert not Complaint.objects.exists()
