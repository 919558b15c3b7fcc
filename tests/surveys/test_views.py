"""The survey pages through the browser's HTTP: the plan's approval chain (S1), the sample and forms
(S4, S20), keyboard paper entry (S7), the residents' answer page (one response, unknown/closed/used
links answered alike and throttled), statistics, the open letter (S15), S16, S19, query counts."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from surveys.models import OpenLetter, Response, RoundState, SampleUnit, SurveyRound

from .conftest import PLAN, close_round


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _login(client, user):
    client.force_login(user)
    return client


def test_s1_plan_through_the_pages(frozen, client, community_a, supervisor_a, officemanager_a, qamanager):
    _login(client, supervisor_a)
    data = {"community": community_a.pk, "year": 2026, "half": 1, "questionnaire": "", **PLAN}
    response = client.post("/surveys/new/", data)
    r = SurveyRound.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/surveys/{r.pk}/"
    page = client.get(f"/surveys/{r.pk}/").content.decode()
    assert PLAN["purpose"] in page and "提交审核" in page
    client.post(f"/surveys/{r.pk}/submit/")
    # The author cannot approve, even by posting to the URL directly (enforced on the server).
    _login(client, officemanager_a)
    client.post(f"/surveys/{r.pk}/approve/")
    r.refresh_from_db()
    assert r.state == RoundState.SUBMITTED
    client.post(f"/surveys/{r.pk}/review/")
    _login(client, qamanager)
    client.post(f"/surveys/{r.pk}/approve/")
    r.refresh_from_db()
    assert r.state == RoundState.APPROVED and r.approved_by == qamanager
    plan = client.get(f"/surveys/{r.pk}/plan/print/").content.decode()
    assert "JL/WI-KF-019/001" in plan


def test_s1_form_keeps_what_was_typed_on_error(frozen, client, community_a, supervisor_a):
    _login(client, supervisor_a)
    response = client.post("/surveys/new/", {"community": community_a.pk, "year": 2026, "half": 1, "purpose": "保留"})
    assert response.status_code == 200
    assert "保留" in response.content.decode()
    assert not SurveyRound.objects.exists()


def test_s20_forms_print_one_a4_form_per_unit_with_qr_of_the_private_link(client, fieldwork_round, supervisor_a):
    _login(client, supervisor_a)
    page = client.get(f"/surveys/{fieldwork_round.pk}/forms/").content.decode()
    assert page.count('class="tj-survey-form"') == 14
    assert "F/QP-8.2-01/001" in page and page.count("<svg") >= 14
    token = SampleUnit.objects.filter(round=fieldwork_round).first().token
    assert f"/s/{token}/" in page
    building = SampleUnit.objects.filter(round=fieldwork_round).first().building_id
    per_building = client.get(f"/surveys/{fieldwork_round.pk}/forms/?building={building}").content.decode()
    assert per_building.count('class="tj-survey-form"') == 6


def test_s5_s6_hand_out_through_the_sample_page(client, fieldwork_round, supervisor_a):
    _login(client, supervisor_a)
    ids = list(SampleUnit.objects.filter(round=fieldwork_round).values_list("pk", flat=True)[:3])
    client.post(f"/surveys/{fieldwork_round.pk}/sample/hand-out/", {"units": ids, "channel": "door"})
    assert SampleUnit.objects.filter(pk__in=ids, handout_channel="door", handed_out_by=supervisor_a).count() == 3
    client.post(f"/surveys/{fieldwork_round.pk}/sample/collect/", {"units": ids[:2], "collect_channel": "guard"})
    assert SampleUnit.objects.filter(pk__in=ids, collection="guard").count() == 2


def test_s7_paper_entry_saves_and_opens_the_next_unit(client, fieldwork_round, supervisor_a):
    _login(client, supervisor_a)
    first = client.get(f"/surveys/{fieldwork_round.pk}/entry/")
    assert first.status_code == 302
    url = first["Location"]
    questions = list(fieldwork_round.questionnaire.questions.all())
    data = {"channel": "staff"}
    for q in questions:
        if q.kind == "item":
            data[f"q{q.pk}"] = "2"
    data[f"c{questions[-1].pk}"] = "希望增加停车位"
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] != url and "/entry/" in response["Location"]
    saved = Response.objects.get()
    assert saved.answers.filter(level=2).count() == 9
    assert saved.answers.get(question=questions[-1]).comment == "希望增加停车位"


def test_s7_paper_entry_refuses_a_bad_key_and_keeps_input(client, fieldwork_round, supervisor_a):
    _login(client, supervisor_a)
    su = SampleUnit.objects.filter(round=fieldwork_round).first()
    q = fieldwork_round.questionnaire.questions.first()
    response = client.post(f"/surveys/{fieldwork_round.pk}/entry/{su.pk}/", {"channel": "staff", f"q{q.pk}": "7"})
    assert response.status_code == 200 and not Response.objects.exists()


def _answer_data(r, level="1"):
    return {f"q{q.pk}": level for q in r.questionnaire.questions.all() if q.kind == "item"}


def test_s7_resident_answers_once_and_second_submission_is_refused(client, fieldwork_round):
    su = SampleUnit.objects.filter(round=fieldwork_round).first()
    page = client.get(f"/s/{su.token}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "很满意" in html and "<script" not in html  # no JavaScript needed
    response = client.post(f"/s/{su.token}/", _answer_data(fieldwork_round, "1"))
    assert response.status_code == 200 and "谢谢" in response.content.decode()
    again = client.post(f"/s/{su.token}/", _answer_data(fieldwork_round, "4"))
    assert again.status_code == 404
    assert Response.objects.get(sample_unit=su).answers.filter(level=1).count() == 9  # the first is kept


def test_s7_unknown_closed_and_used_links_are_answered_alike(client, fieldwork_round, officemanager_a, supervisor_a):
    sample = list(SampleUnit.objects.filter(round=fieldwork_round))
    client.post(f"/s/{sample[0].token}/", _answer_data(fieldwork_round))
    used = client.get(f"/s/{sample[0].token}/")
    unknown = client.get("/s/" + "A" * 43 + "/")
    close_round(fieldwork_round, officemanager_a, supervisor_a)
    closed = client.get(f"/s/{sample[1].token}/")
    bodies = {r.content.decode() for r in (used, unknown, closed)}
    assert {r.status_code for r in (used, unknown, closed)} == {404}
    assert len(bodies) == 1  # nothing tells them apart


def test_s7_links_that_do_not_work_are_throttled(client, fieldwork_round):
    for i in range(20):
        client.get(f"/s/bad{i:040d}/")
    su = SampleUnit.objects.filter(round=fieldwork_round).first()
    assert client.get(f"/s/{su.token}/").status_code == 429  # even a good link, from this client


def test_s13_s14_statistics_and_printable_analysis_report(client, fieldwork_round, supervisor_a):
    su = SampleUnit.objects.filter(round=fieldwork_round).first()
    data = _answer_data(fieldwork_round, "4")
    client.post(f"/s/{su.token}/", data)
    _login(client, supervisor_a)
    page = client.get(f"/surveys/{fieldwork_round.pk}/statistics/").content.decode()
    assert "不满意排列图" in page and "pareto-data" in page and "vendor/echarts/echarts.min.js" in page
    assert "满意率（%）" in page
    report = client.get(f"/surveys/{fieldwork_round.pk}/report/").content.decode()
    assert "满意度调查分析报告" in report


def test_s15_s16_s19_letter_approval_qa_and_results(
    client, fieldwork_round, supervisor_a, officemanager_a, mgmtrep, qa
):
    su = SampleUnit.objects.filter(round=fieldwork_round).first()
    client.post(f"/s/{su.token}/", _answer_data(fieldwork_round, "4"))
    close_round(fieldwork_round, officemanager_a, supervisor_a)
    _login(client, supervisor_a)
    client.post(f"/surveys/{fieldwork_round.pk}/statistics-done/")
    fieldwork_round.refresh_from_db()
    assert fieldwork_round.statistics_at is not None
    client.post(
        f"/surveys/{fieldwork_round.pk}/letter/",
        {
            "title": "致业主的公开信",
            "body": "针对安全管理的意见，我们将加强夜间巡逻。",
            "promises": "夜间巡逻每2小时一次\n更换门禁",
        },
    )
    letter = OpenLetter.objects.get()
    assert list(letter.promises.values_list("text", flat=True)) == ["夜间巡逻每2小时一次", "更换门禁"]
    client.post(f"/surveys/{fieldwork_round.pk}/letter/submit/")
    client.post(f"/surveys/{fieldwork_round.pk}/letter/post/")  # not approved yet: refused
    letter.refresh_from_db()
    assert letter.state == OpenLetter.State.SUBMITTED
    _login(client, mgmtrep)
    client.post(f"/surveys/{fieldwork_round.pk}/letter/approve/")
    letter.refresh_from_db()
    assert letter.state == OpenLetter.State.APPROVED and letter.approved_by == mgmtrep
    _login(client, supervisor_a)
    client.post(f"/surveys/{fieldwork_round.pk}/letter/post/")
    from clock.models import Deadline

    s16 = Deadline.objects.get(subject_id=fieldwork_round.pk, rule="S16")
    assert s16.state == "open" and s16.closed_at is None  # S16 runs from the posting
    assert Deadline.objects.get(subject_id=fieldwork_round.pk, rule="S15").state == "met"
    client.post(f"/surveys/{fieldwork_round.pk}/send-to-qa/")
    fieldwork_round.refresh_from_db()
    assert fieldwork_round.sent_to_qa_at is not None
    s16.refresh_from_db()
    assert s16.state == "met"
    from clock.models import Notification

    assert Notification.objects.filter(recipient=qa, key__endswith=":to_qa").exists()
    _login(client, qa)
    client.post(f"/surveys/{fieldwork_round.pk}/qa-forward/", {"summary": "安全管理问题集中"})
    assert Notification.objects.filter(recipient=mgmtrep, key__endswith=":to_mr").exists()
    _login(client, supervisor_a)
    client.post(f"/surveys/{fieldwork_round.pk}/post-results/")
    fieldwork_round.refresh_from_db()
    assert Deadline.objects.get(subject_id=fieldwork_round.pk, rule="S19").state == "met"
    public = client.get(f"/s/results/{fieldwork_round.public_token}/")
    html = public.content.decode()
    assert public.status_code == 200 and "满意度调查结果" in html and "<svg" in html
    assert su.unit.number not in html.replace(fieldwork_round.community.name, "")  # no personal data


def test_s15_letter_author_cannot_approve(fieldwork_round, supervisor_a, officemanager_a, mgmtrep):
    from django.core.exceptions import ValidationError

    from surveys import services

    fieldwork_round = close_round(fieldwork_round, officemanager_a, supervisor_a)
    letter = services.letter_draft(survey_round=fieldwork_round, by=officemanager_a, title="t", body="b", promises=[])
    services.letter_submit(letter=letter, by=officemanager_a)
    with pytest.raises(ValidationError):
        services.letter_approve(letter=letter, by=officemanager_a)  # not the management representative
    letter.author = mgmtrep
    letter.save()
    with pytest.raises(ValidationError):
        services.letter_approve(letter=letter, by=mgmtrep)  # the author


def test_s19_results_page_only_once_posted(client, fieldwork_round):
    assert client.get(f"/s/results/{fieldwork_round.public_token}/").status_code == 404


def test_round_list_query_count_does_not_grow(client, fieldwork_round, supervisor_a, django_assert_max_num_queries):
    _login(client, supervisor_a)
    client.get("/surveys/")
    with django_assert_max_num_queries(10):
        assert client.get("/surveys/").status_code == 200


def test_sample_page_query_count_is_fixed(client, fieldwork_round, supervisor_a, django_assert_max_num_queries):
    _login(client, supervisor_a)
    with django_assert_max_num_queries(13):
        assert client.get(f"/surveys/{fieldwork_round.pk}/sample/").status_code == 200


def test_outsider_gets_404_on_round_pages(client, fieldwork_round, frontdesk_b):
    _login(client, frontdesk_b)
    assert client.get(f"/surveys/{fieldwork_round.pk}/").status_code == 404
    assert client.get(f"/surveys/{fieldwork_round.pk}/statistics/table.xlsx").status_code == 404


def test_company_statistics_page_for_qa_only(client, fieldwork_round, qa, supervisor_a):
    _login(client, qa)
    assert client.get("/surveys/company/?year=2026&half=1").status_code == 200
    _login(client, supervisor_a)
    assert client.get("/surveys/company/").status_code == 403


def test_f4_questionnaire_pages_for_qa(client, qa, company, frontdesk_a):
    _login(client, qa)
    assert "顾客满意度调查表" in client.get("/surveys/questionnaires/").content.decode()
    _login(client, frontdesk_a)
    assert client.get("/surveys/questionnaires/").status_code == 403


def test_f4_questionnaire_of_another_company_is_404(client, qa, company):
    from surveys.services import default_questionnaire
    from tests.factories import CompanyFactory, OfficeFactory, UserFactory

    other = CompanyFactory(name="另一家物业公司")
    OfficeFactory(company=other, name="另一管理处", code="other")
    theirs = default_questionnaire(other)
    _login(client, qa)
    assert client.get(f"/surveys/questionnaires/{theirs.pk}/").status_code == 404
    outsider_qa = UserFactory(username="qa_other", role="qa_staff", company=other)
    ours = default_questionnaire(company)
    _login(client, outsider_qa)
    assert client.get(f"/surveys/questionnaires/{ours.pk}/").status_code == 404


def test_menu_has_the_surveys_entry(client, frontdesk_a):
    _login(client, frontdesk_a)
    html = client.get("/").content.decode()
    assert 'href="/surveys/"' in html and "满意度调查" in html
