"""S9-S14 on a hand-computed example, the company's one aggregate query, and the Excel table."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from surveys import selectors, services
from surveys.models import SampleUnit

from .conftest import close_round

# Five forms. Levels per form (1 very satisfied, 2 satisfied, 3 basically, 4 dissatisfied, 5 no
# opinion, None blank), by item code:
FORMS = {
    "customer_service": [1, 2, 3, 4, 5],  # 3 satisfied / 4 rated = 75.00
    "security": [1, 1, 4, 4, None],  # 2 / 4 = 50.00
    "cleaning": [5, 5, 5, 5, 5],  # no opinion only: None, left out of the overall
    "greening": [2, 2, 2, 2, 2],  # 5 / 5 = 100.00
}
# Overall (S11) = (75.00 + 50.00 + 100.00) / 3 = 75.00 -> not qualified (S12)


@pytest.fixture
def answered_round(fieldwork_round, supervisor_a):
    questions = {q.code: q.pk for q in fieldwork_round.questionnaire.questions.all()}
    sample = list(SampleUnit.objects.filter(round=fieldwork_round).order_by("pk"))
    services.handout_record(survey_round=fieldwork_round, by=supervisor_a, sample_units=sample, channel="door")
    for i, su in enumerate(sample[:5]):
        levels = {questions[code]: values[i] for code, values in FORMS.items()}
        comments = {questions["security"]: "晚上巡逻太少"} if i == 2 else {}
        services.response_enter(sample_unit=su, by=supervisor_a, channel="staff", levels=levels, comments=comments)
    return fieldwork_round


def _items(stats):
    return {i.code: i for i in stats.items}


def test_s10_s11_s12_community_statistics_match_the_hand_computation(answered_round):
    community = selectors.round_statistics(answered_round)["community"]
    items = _items(community)
    assert items["customer_service"].rate == Decimal("75.00")
    assert items["security"].rate == Decimal("50.00")
    assert items["cleaning"].rate is None  # no opinion only
    assert items["greening"].rate == Decimal("100.00")
    assert items["repairs"].rate is None  # blank on every form
    assert items["customer_service"].counts == {
        "very_satisfied": 1,
        "satisfied": 1,
        "basically_satisfied": 1,
        "dissatisfied": 1,
        "no_opinion": 1,
        "blank": 0,
    }
    assert community.overall == Decimal("75.00")
    assert community.qualified is False


def test_s9_building_statistics_add_up_to_the_community(answered_round):
    stats = selectors.round_statistics(answered_round)
    total = sum(_items(b)["security"].counts["dissatisfied"] for b in stats["buildings"].values())
    assert total == 2


def test_s13_pareto_of_dissatisfaction(answered_round):
    pareto = selectors.round_statistics(answered_round)["community"].pareto()
    assert [(p.key, p.count, p.percent, p.cumulative) for p in pareto] == [
        ("security", 2, Decimal("66.67"), Decimal("66.67")),
        ("customer_service", 1, Decimal("33.33"), Decimal("100.00")),
    ]


def test_s9_statistics_compare_with_the_earlier_round(answered_round, officemanager_a, supervisor_a):
    close_round(answered_round, officemanager_a, supervisor_a)
    services.statistics_done(survey_round=answered_round, by=supervisor_a)
    from surveys.models import SurveyRound

    # The second half of the year compares with the first.
    later = SurveyRound.objects.create(
        office=answered_round.office,
        community=answered_round.community,
        year=2026,
        half=2,
        questionnaire=answered_round.questionnaire,
        author=supervisor_a,
        policy="occupancy-age",
        purpose="p",
        targets="t",
        content="c",
        scope="s",
        schedule="s",
        requirements="r",
    )
    earlier = selectors.round_statistics(later)["earlier"]
    assert [(r.pk, s.overall) for r, s in earlier] == [(answered_round.pk, Decimal("75.00"))]


def test_company_statistics_come_from_one_aggregate_query(answered_round, company, django_assert_num_queries):
    with django_assert_num_queries(1):
        data = selectors.company_statistics(company, 2026, 1)
    assert data["company"].overall == Decimal("75.00")
    assert list(data["communities"]) == ["科信小区"]
    assert _items(data["communities"]["科信小区"])["security"].rate == Decimal("50.00")


def test_s9_s20_statistics_table_excel_laid_out_like_the_form(answered_round, client, supervisor_a):
    client.force_login(supervisor_a)
    response = client.get(f"/surveys/{answered_round.pk}/statistics/table.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    assert ws["A1"].value == "顾客满意率统计表"
    assert "JL/WI-KF-019/002" in ws["A2"].value
    rows = {row[1]: row for row in ws.iter_rows(min_row=4, values_only=True)}
    cs = next(v for k, v in rows.items() if k and k.startswith("客户服务"))
    assert cs[2:9] == (1, 1, 1, 1, 1, 0, 75)
    overall = next(v for k, v in rows.items() if k and "总体" in k)
    assert overall[8] == 75
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_s17_s18_statistics_done_queues_return_visits_for_dissatisfied_answers(
    answered_round, officemanager_a, supervisor_a
):
    close_round(answered_round, officemanager_a, supervisor_a)
    services.statistics_done(survey_round=answered_round, by=supervisor_a)
    from surveys.models import ReturnVisit

    visits = ReturnVisit.objects.filter(round=answered_round)
    # customer_service 1 + security 2 dissatisfied answers
    assert sorted(v.question.code for v in visits) == ["customer_service", "security", "security"]
    visit = visits.first()
    services.return_visit_record(visit=visit, by=supervisor_a, outcome="satisfied", note="已修复")
    visit.refresh_from_db()
    assert (visit.state, visit.outcome, visit.visited_by) == ("done", "satisfied", supervisor_a)


def test_s9_s17_comments_into_the_register_and_dissatisfied_items_as_corrective_actions(
    answered_round, officemanager_a, supervisor_a, office_a
):
    from feedback.models import CorrectiveAction, Entry
    from surveys.models import ReturnVisit
    from tests.factories import DepartmentFactory

    security = DepartmentFactory(company=office_a.company, office=office_a, kind="security", name="保安部")
    close_round(answered_round, officemanager_a, supervisor_a)
    services.statistics_done(survey_round=answered_round, by=supervisor_a)
    entry = Entry.objects.get()
    assert entry.channel == "survey" and entry.content.endswith("晚上巡逻太少")
    assert entry.unit_id is not None and entry.office_id == office_a.pk
    actions = {a.title: a for a in CorrectiveAction.objects.all()}
    assert len(actions) == 2 and all(a.source == "survey" for a in actions.values())
    sec = next(a for t, a in actions.items() if "安全管理" in t)
    assert sec.department == security
    assert set(
        ReturnVisit.objects.filter(question__code="security").values_list("corrective_action_id", flat=True)
    ) == {sec.pk}
