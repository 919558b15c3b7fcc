"""complaints/views_rows.py (issue 10): the list's and the work log's rows written in Python are, byte for
byte, what the templates' row loops wrote — kept here as the reference — for every kind of row."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from complaints import selectors, views_rows
from complaints.models import Complaint
from tests.factories import UnitFactory

from .conftest import TUESDAY_10

pytestmark = pytest.mark.django_db

# The row loops as complaints/list.html and work_log.html had them before issue 10's change.
_LIST_LOOP = """{% load i18n %}{% translate "Number" as l_number %}{% translate "Received" as l_received %}{% translate "Office" as l_office %}{% translate "Unit / resident" as l_unit_resident %}{% translate "Content" as l_content %}{% translate "Class" as l_class %}{% translate "State" as l_state %}{% translate "Next due" as l_next_due %}{% for c in complaints %}
    <tr class="{% if c.overdue %}table-danger tj-overdue{% endif %}">
      <td data-label="{{ l_number }}"><div class="tj-cell text-nowrap"><a href="{{ c.get_absolute_url }}">{{ c.number }}</a>{% if c.important %} <span class="badge text-bg-warning">{% translate "Important" %}</span>{% endif %}</div></td>
      <td data-label="{{ l_received }}"><div class="tj-cell text-nowrap">{{ c.received_at|date:"Y-m-d H:i" }}</div></td>
      {% if many_offices %}<td data-label="{{ l_office }}"><div class="tj-cell text-nowrap">{{ c.office.name }}</div></td>{% endif %}
      <td data-label="{{ l_unit_resident }}"><div class="tj-cell tj-wrap">{% if c.unit %}<span class="text-nowrap">{{ c.unit.label }}</span>{% endif %} <span class="text-nowrap">{{ c.who }}</span></div></td>
      <td data-label="{{ l_content }}" class="tj-col-content"><div class="tj-cell tj-wrap">{{ c.content|truncatechars:40 }}</div></td>
      <td data-label="{{ l_class }}"><div class="tj-cell text-nowrap">{{ c.get_complaint_class_display|default:"—" }}</div></td>
      <td data-label="{{ l_state }}"><div class="tj-cell text-nowrap">{{ c.get_state_display }}{% if c.overdue %} <span class="badge text-bg-danger">{% translate "Overdue" %}</span>{% endif %}</div></td>
      <td data-label="{{ l_next_due }}"><div class="tj-cell text-nowrap">{{ c.next_due|date:"Y-m-d H:i"|default:"—" }}</div></td>
    </tr>
  {% endfor %}"""  # noqa: E501
_LOG_LOOP = """{% for c in complaints %}
    <tr>
      <td>{{ c.received_at|date:"Y-m-d" }}</td><td>{{ c.received_at|date:"H:i" }}</td><td>{{ c.get_channel_display }}</td>
      <td>{{ c.who }}</td><td>{% if c.unit %}{{ c.unit.label }}{% endif %}</td>
      <td><a href="{{ c.get_absolute_url }}">{{ c.number }}</a> {{ c.content|truncatechars:60 }}</td>
      <td>{{ c.received_by }}</td><td>{{ c.passed_to }}</td>
    </tr>
  {% endfor %}"""  # noqa: E501


@pytest.fixture
def rows(frozen, make_complaint, resident_a, office_b, frontdesk_b, engineering_a):
    """Rows of every kind: overdue, important, classified, without a unit, a resident or a stranger with
    markup in their name, in another office, handed to a department, long content, just after midnight."""
    frozen.move_to(TUESDAY_10 - datetime.timedelta(days=5))
    late = make_complaint(received_at=TUESDAY_10 - datetime.timedelta(days=5), resident=resident_a)
    frozen.move_to(TUESDAY_10)
    plain = make_complaint(contact_name="<b>王</b>&先生", content="楼道灯不亮" * 20)
    midnight = make_complaint(
        office=office_b,
        received_by=frontdesk_b,
        received_at=TUESDAY_10.replace(hour=0, minute=5),
        unit=UnitFactory(building__community__office=office_b),
    )
    Complaint.objects.filter(pk=plain.pk).update(important=True, complaint_class=2, department=engineering_a)
    return [late, plain, midnight]


@pytest.mark.parametrize("many_offices", [True, False])
def test_list_rows_are_what_the_template_wrote(rows, qa, many_offices):
    page = selectors.complaint_list_page(qa, selectors.Filters(), None, size=25).object_list
    assert len(page) == 3 and any(c.overdue for c in page) and any(c.important for c in page)
    reference = Template(_LIST_LOOP).render(Context({"complaints": page, "many_offices": many_offices}))
    assert str(views_rows.complaint_list_rows(page, many_offices=many_offices)) == reference
    assert "&lt;b&gt;王&lt;/b&gt;&amp;先生" in reference and "tj-overdue" in reference


def test_work_log_rows_are_what_the_template_wrote(rows, qa):
    page = selectors.work_log_page(qa, selectors.Filters(), None, size=25).object_list
    assert len(page) == 3
    reference = Template(_LOG_LOOP).render(Context({"complaints": page}))
    assert str(views_rows.work_log_rows(page)) == reference
    assert "00:05" in reference and "&lt;b&gt;王" in reference
    assert str(views_rows.work_log_rows([])) == ""


def test_pages_show_the_rows_and_the_empty_work_log_says_so(rows, client, qa):
    client.force_login(qa)
    html = client.get(reverse("complaints:list")).content.decode()
    assert html.count('<tr class="') == 3 and html.count('<tr class="table-danger tj-overdue">') == 1
    log = client.get(reverse("complaints:work_log")).content.decode()
    assert log.count("<tr>") == 1 + 3  # the head and the rows
    empty = client.get(reverse("complaints:work_log"), {"date_from": "2026-01-01", "date_to": "2026-01-02"})
    with translation.override("zh-hans"):
        assert gettext("Nothing logged in this period.") in empty.content.decode()
