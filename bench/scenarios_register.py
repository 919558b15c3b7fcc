"""The register's and the surveys' pages on the seeded company (issue 10: "the register and surveys
issues extend it"): what an office opens every day, at 2M register entries and ~2M survey answers."""

from __future__ import annotations

from django.db.models import Count

from estates.models import Company, Role, User
from feedback.models import Entry
from surveys.models import Answer, SurveyRound

from .measure import Scenario


def register_and_survey_scenarios(company: Company, get, client) -> list[Scenario]:
    """`get(client, url)` and `client(user)` are the page scenarios' own (bench.scenarios)."""
    qa = User.objects.get(company=company, role=Role.QA_STAFF)
    qa_client = client(qa)
    entries = Entry.objects.filter(office__company=company)
    scenarios = [
        Scenario("register list, QA, first page", get(qa_client, "/feedback/"), entries.count),
        Scenario("register, text 漏水, company-wide", get(qa_client, "/feedback/?text=漏水"), entries.count),
        Scenario("register, overdue only (company)", get(qa_client, "/feedback/?overdue=on"), entries.count),
    ]
    rounds = SurveyRound.objects.filter(office__company=company)
    answers = Answer.objects.filter(response__sample_unit__round__office__company=company)
    scenarios.append(Scenario("survey rounds list, QA", get(qa_client, "/surveys/"), rounds.count))
    # The finished round with the most answers: its statistics page (S13–S15).
    done = (
        rounds.filter(statistics_at__isnull=False).annotate(n=Count("sample__response__answers")).order_by("-n").first()
    )
    if done is not None:
        scenarios.append(
            Scenario(
                "survey round statistics (largest round)",
                get(qa_client, f"/surveys/{done.pk}/statistics/"),
                lambda: done.n,
            )
        )
    scenarios.append(Scenario("survey statistics, company", get(qa_client, "/surveys/company/"), answers.count))
    return scenarios
