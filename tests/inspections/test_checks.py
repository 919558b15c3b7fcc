"""Q1 checks: opening (idempotent, catching up), figures with their source, scoring, versions, sign-off."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from inspections import defaults, figures
from inspections.models import Check, CheckFigure, CheckStandard, Item, Outcome, PeriodKind
from inspections.services import checks, standards

from .conftest import SH


def _score_all(check, by, outcome=Outcome.PASS):
    for item in Item.objects.filter(section__version=check.version):
        checks.check_item_score(check=check, by=by, item=item, outcome=outcome)


def test_q1_default_standard_is_shipped_once(company):
    first = standards.default_standard_ensure(company=company)
    again = standards.default_standard_ensure(company=company)
    assert first == again and first.name == defaults.NAME
    version = standards.latest_version(first)
    assert version.number == 1
    assert version.sections.count() == len(defaults.SECTIONS)
    assert Item.objects.filter(section__version=version, red_line=True).exists()


def test_q1_monthly_job_run_twice_opens_one_check_per_office(standard, office_a, office_b):
    assert checks.checks_open_due() == 2
    assert checks.checks_open_due() == 0
    assert set(Check.objects.values_list("office_id", "period_start")) == {
        (office_a.pk, datetime.date(2026, 3, 1)),
        (office_b.pk, datetime.date(2026, 3, 1)),
    }


def test_q1_monthly_job_catches_up_a_missed_month(standard, office_a, frozen):
    checks.checks_open_due()
    # The job does not run in April at all; on 2 June it opens April's and May's and June's.
    frozen.move_to(datetime.datetime(2026, 6, 2, 8, 0, tzinfo=SH))
    assert checks.checks_open_due() == 3
    months = list(Check.objects.filter(office=office_a).order_by("period_start").values_list("period_start", flat=True))
    assert months == [datetime.date(2026, m, 1) for m in (3, 4, 5, 6)]


def test_q1_quarterly_checks_use_the_same_machinery(company, office_a, frozen):
    with time_machine.travel(datetime.datetime(2026, 2, 1, 9, 0, tzinfo=SH), tick=False):
        quarterly = standards.standard_create(
            company=company,
            name="季度检查",
            period=PeriodKind.QUARTERLY,
            sections=[("服务承诺", "1", [("承诺兑现", "", "100", False, "")])],
        )
    frozen.move_to(datetime.datetime(2026, 4, 3, 9, 0, tzinfo=SH))
    assert checks.checks_open_due() == 2
    starts = sorted(Check.objects.filter(standard=quarterly).values_list("period_start", flat=True))
    assert starts == [datetime.date(2026, 1, 1), datetime.date(2026, 4, 1)]
    assert checks.checks_open_due() == 0


def test_q1_figures_are_filled_in_with_their_source(check_a, make_complaint_a):
    make_complaint_a()
    checks.check_refresh_figures(check=check_a)
    by_key = {f.key: f for f in CheckFigure.objects.filter(check_run=check_a)}
    assert by_key["complaints.c3:received"].value == "1"
    assert "C3" in by_key["complaints.c3"].source or "C3" in by_key["complaints.c3"].label
    assert by_key["complaints.overdue"].value == "0"
    assert "inspections.repairs" in by_key


def test_q1_a_missing_source_is_simply_absent(check_a, monkeypatch):
    from django.apps import apps

    real = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: False if name == "complaints" else real(name))
    assert "complaints.c3" not in dict(figures.figure_choices())
    checks.check_refresh_figures(check=check_a)
    keys = set(CheckFigure.objects.filter(check_run=check_a).values_list("key", flat=True))
    assert keys and not any(k.startswith("complaints") for k in keys)


def test_q1_only_qa_scores_and_signs(check_a, frontdesk_a):
    item = Item.objects.filter(section__version=check_a.version).first()
    with pytest.raises(ValidationError):
        checks.check_item_score(check=check_a, by=frontdesk_a, item=item, outcome=Outcome.PASS)
    with pytest.raises(ValidationError):
        checks.check_sign(check=check_a, by=frontdesk_a)


def test_q1_sign_needs_every_item_scored_then_fixes_the_score(check_a, qa):
    with pytest.raises(ValidationError):
        checks.check_sign(check=check_a, by=qa)
    _score_all(check_a, qa)
    failed = Item.objects.filter(section__version=check_a.version, points=Decimal("40")).first()
    checks.check_item_score(check=check_a, by=qa, item=failed, outcome=Outcome.FAIL)
    signed = checks.check_sign(check=check_a, by=qa, conclusion="登记不全")
    assert signed.state == "signed" and signed.signed_by == qa
    # Section 1 (weight 30) loses 40 of 100 -> 60; the other sections (35+15+10+10) score 100:
    # (60 × 30 + 100 × 70) / 100 = 88.
    assert signed.score == Decimal("88.00")
    assert signed.passed is True  # the default pass mark is 85
    with pytest.raises(ValidationError):
        checks.check_item_score(check=signed, by=qa, item=failed, outcome=Outcome.PASS)


def test_q1_red_line_fails_the_signed_check(check_a, qa):
    _score_all(check_a, qa)
    red = Item.objects.get(section__version=check_a.version, red_line=True)
    checks.check_item_score(check=check_a, by=qa, item=red, outcome=Outcome.FAIL)
    signed = checks.check_sign(check=check_a, by=qa)
    assert signed.score == Decimal("100.00")
    assert signed.passed is False and signed.red_line_failed is True


def test_q1_editing_the_standard_leaves_a_past_check_unchanged(check_a, qa, standard):
    _score_all(check_a, qa)
    item = Item.objects.filter(section__version=check_a.version, points=Decimal("40")).first()
    checks.check_item_score(check=check_a, by=qa, item=item, outcome=Outcome.FAIL)
    signed = checks.check_sign(check=check_a, by=qa)
    before = (
        signed.version_id,
        signed.score,
        list(Item.objects.filter(section__version=signed.version).values_list("text", "points")),
    )

    standards.item_save(
        standard=standard, by=qa, section_id=item.section_id, item_id=item.pk, text="新的检查内容", points=Decimal("10")
    )
    new = standards.latest_version(standard)
    assert new.number == 2
    assert new.sections.get(order=0).items.filter(text="新的检查内容", points=Decimal("10")).exists()
    signed.refresh_from_db()
    after = (
        signed.version_id,
        signed.score,
        list(Item.objects.filter(section__version=signed.version).values_list("text", "points")),
    )
    assert after == before
    assert checks.check_score(signed).score == signed.score
    # An unused version is edited in place: no version 3 for a second edit.
    standards.pass_mark_set(standard=standard, by=qa, pass_mark=Decimal("80"))
    assert standards.latest_version(standard).number == 2


def test_q1_new_checks_are_pinned_to_the_latest_version(standard, office_a, qa, frozen):
    checks.checks_open_due()
    standards.pass_mark_set(standard=standard, by=qa, pass_mark=Decimal("90"))  # v1 used -> v2
    frozen.move_to(datetime.datetime(2026, 4, 1, 9, 0, tzinfo=SH))
    checks.checks_open_due()
    march, april = Check.objects.filter(office=office_a).order_by("period_start")
    assert (march.version.number, april.version.number) == (1, 2)
    assert CheckStandard.objects.count() == 1


def test_q1_finding_double_submit_makes_one(check_a, qa):
    import uuid

    token = uuid.uuid4()
    one = checks.finding_add(check=check_a, by=qa, description="登记表缺少处理结果", form_token=token)
    two = checks.finding_add(check=check_a, by=qa, description="登记表缺少处理结果", form_token=token)
    assert one == two and check_a.findings.count() == 1


def test_q5_promise_check_is_recorded_in_the_check(check_a, qa, office_a, office_b):
    from inspections.services import catalogue

    mine = catalogue.offering_save(
        office=office_a, by=qa, kind="paid", name="疏通下水道", price=Decimal("50"), promise="30分钟内响应"
    )
    theirs = catalogue.offering_save(office=office_b, by=qa, kind="paid", name="疏通下水道", price=Decimal("50"))
    checks.promise_check_record(check=check_a, by=qa, offering=mine, kept=False, note="抽查2单，1单超时")
    assert check_a.promise_checks.get().kept is False
    with pytest.raises(ValidationError):
        checks.promise_check_record(check=check_a, by=qa, offering=theirs, kept=True)
