"""Issue 9: "the result told to the resident is typed once and appears in the F1 record" — the F1 form
does not ask for it; the record (page, print, Excel) shows what was typed at 告知住户结果; the record is
read-only once the complaint is finished."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints import forms, services
from complaints.models import ComplaintRecord
from complaints.rules import State

pytestmark = pytest.mark.django_db

RESULT = "已更换楼道灯泡，住户确认已亮"


def _in_handling(c, cs_a, manager_a):
    c = services.complaint_respond(complaint=c, by=cs_a, how="call", note="已致歉")
    c = services.complaint_classify(complaint=c, by=manager_a, complaint_class=1, category="repairs")
    return services.complaint_set_handling(complaint=c, by=manager_a, opinion="安排维修", handler=cs_a)


def test_f1_form_has_no_result_field():
    assert "result_told" not in forms.RecordF1Form().fields


def test_f1_form_on_the_page_does_not_ask_for_the_result_again(frozen, make_complaint, cs_a, manager_a, client):
    c = _in_handling(make_complaint(), cs_a, manager_a)
    c = services.complaint_tell_result(complaint=c, by=cs_a, result=RESULT)
    client.force_login(cs_a)
    html = client.get(c.get_absolute_url()).content.decode()
    f1_form = html[html.index(f'action="{reverse("complaints:record_f1", args=[c.pk])}"') :]
    f1_form = f1_form[: f1_form.index("</form>")]
    assert 'name="handling_notes"' in f1_form
    assert 'name="result_told"' not in f1_form
    assert RESULT in f1_form  # shown read-only, from where it was typed


def test_f1_record_shows_the_result_typed_at_tell_result(frozen, make_complaint, cs_a, manager_a, client):
    c = _in_handling(make_complaint(), cs_a, manager_a)
    c = services.complaint_tell_result(complaint=c, by=cs_a, result=RESULT)
    client.force_login(cs_a)
    # A crafted field is ignored: the result is not typed a second time.
    response = client.post(
        reverse("complaints:record_f1", args=[c.pk]), {"handling_notes": "联系电工更换灯泡", "result_told": "别的话"}
    )
    assert response.status_code == 302
    record = ComplaintRecord.objects.get(complaint=c)
    assert record.handling_notes == "联系电工更换灯泡" and record.result_told == ""

    page = client.get(c.get_absolute_url()).content.decode()
    box = page[page.index("tj-f1-record") :]
    assert RESULT in box[: box.index("</div>")] and "别的话" not in page

    printed = client.get(reverse("complaints:record_f1_print", args=[c.pk])).content.decode()
    assert RESULT in printed

    workbook = openpyxl.load_workbook(io.BytesIO(client.get(reverse("complaints:record_f1_xlsx", args=[c.pk])).content))
    values = [cell.value for row in workbook.active.iter_rows() for cell in row]
    assert RESULT in values


def test_f1_record_follows_a_result_told_again_after_reopening(frozen, make_complaint, cs_a, manager_a, client):
    c = _in_handling(make_complaint(), cs_a, manager_a)
    services.record_f1_save(complaint=c, by=cs_a, handling_notes="先查看")
    c = services.complaint_tell_result(complaint=c, by=cs_a, result=RESULT)
    client.force_login(cs_a)
    printed = client.get(reverse("complaints:record_f1_print", args=[c.pk])).content.decode()
    assert RESULT in printed  # told after the record was saved: the record shows it all the same


def test_f1_record_is_read_only_once_closed(frozen, make_complaint, cs_a, manager_a, qa, client):
    c = _in_handling(make_complaint(), cs_a, manager_a)
    services.record_f1_save(complaint=c, by=cs_a, handling_notes="更换灯泡")
    c = services.complaint_tell_result(complaint=c, by=cs_a, result=RESULT)
    c = services.complaint_decide_return_visit(complaint=c, by=qa, required=False)
    assert c.state == State.CLOSED
    with pytest.raises(ValidationError):
        services.record_f1_save(complaint=c, by=cs_a, handling_notes="改写")
    client.force_login(cs_a)
    html = client.get(c.get_absolute_url()).content.decode()
    assert f'action="{reverse("complaints:record_f1", args=[c.pk])}"' not in html  # no form
    assert RESULT in html and "更换灯泡" in html  # the record, read


def test_an_f1_record_saved_before_keeps_its_own_result_text(frozen, make_complaint, cs_a, manager_a, client):
    """Data compatibility: a record whose result was typed in the old F1 form, on a complaint with no
    result told through the action, still shows that text."""
    c = _in_handling(make_complaint(), cs_a, manager_a)
    services.record_f1_save(complaint=c, by=cs_a, handling_notes="旧记录")
    ComplaintRecord.objects.filter(complaint=c).update(result_told="旧表单里写的结果")
    client.force_login(cs_a)
    assert "旧表单里写的结果" in client.get(reverse("complaints:record_f1_print", args=[c.pk])).content.decode()
