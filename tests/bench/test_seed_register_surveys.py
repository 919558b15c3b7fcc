"""seed_scale's register and surveys stages (issue 10): sized by --entries and --rounds, and what the
services would leave — the complaint mirror makes nothing new, deadline_sync keeps every seeded
deadline, the recorded seed redraws each sample, the pages of a seeded round and the register render."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.test import override_settings

from clock.deadlines import deadline_sync
from clock.models import Deadline
from clock.selectors import load_calendar
from complaints.models import Complaint
from complaints.search import search_document
from estates.models import Unit, User
from feedback import rules as feedback_rules
from feedback.deadlines import service_due
from feedback.models import Entry, EntryEvent
from feedback.services.register import mirror_complaints
from surveys import rules as survey_rules
from surveys.models import Answer, Response, ReturnVisit, SampleUnit, SecondEntry, SurveyRound
from surveys.selectors import entry_differences
from surveys.services.questionnaires import settings_for

pytestmark = pytest.mark.django_db

END = "2026-02-05T10:00:00+08:00"  # the first half's rounds under way
NOW = datetime.datetime.fromisoformat(END)
FIELDS = ("rule", "state", "due_at", "warn_at", "closed_at", "params", "title", "escalate_roles", "link", "measure",
          "amount", "basis_at", "responsible_role", "responsible_department_id", "office_id")  # fmt: skip


@pytest.fixture
def seeded():
    call_command("seed_scale", size="tiny", complaints=300, entries=900, seed=5, end=END, stdout=open("/dev/null", "w"))


def _deadlines():
    return list(Deadline.objects.order_by("pk").values_list(*FIELDS))


def test_counts_follow_the_sizes_and_entries_are_what_the_services_make(seeded):
    # --entries: the register stage's entries, the complaints' mirrors among them; survey comments on top
    assert Entry.objects.exclude(channel="survey").count() == 900
    assert Entry.objects.filter(complaint__isnull=False).count() == Complaint.objects.count() == 300
    # tiny: 4 communities, 1 year -> 2 rounds each (one per half year), the latest once drafted
    assert SurveyRound.objects.filter(year=2025, half=2).count() == 4
    assert 0 < SurveyRound.objects.filter(year=2026, half=1).count() <= 4
    assert SurveyRound.objects.count() == SurveyRound.objects.filter(year__gte=2025).count()
    analysed = SurveyRound.objects.filter(state="analysed")
    assert analysed.exists() and SurveyRound.objects.exclude(state="analysed").exists()
    responses = Response.objects.count()
    assert 0.7 * SampleUnit.objects.filter(handed_out_at__isnull=False).count() < responses
    assert 7 * responses < Answer.objects.count() <= 10 * responses

    assert all(e.search_text == search_document([e.content]) for e in Entry.objects.all())
    before = list(Entry.objects.order_by("pk").values_list("state", "category_id", "closed_at", "community_id"))
    assert mirror_complaints(full=True) == 0
    assert list(Entry.objects.order_by("pk").values_list("state", "category_id", "closed_at", "community_id")) == before
    own = Entry.objects.filter(complaint__isnull=True)
    assert EntryEvent.objects.filter(entry__in=own, what="created").count() == own.count()
    assert not EntryEvent.objects.filter(entry__complaint__isnull=False).exists()  # the mirror writes no history
    calendar = load_calendar()
    deadlines = _deadlines()
    live = own.filter(kind="service", state__in=feedback_rules.OPEN_STATES)
    assert live.exists()
    for entry in live:
        assert entry.due_at == service_due(entry)
        deadline_sync(
            entry, feedback_rules.deadline_plan(entry), done=feedback_rules.deadlines_done(entry), now=NOW,
            calendar=calendar,
        )  # fmt: skip
    assert _deadlines() == deadlines
    # Every service request has its F1 deadline; a finished one's is closed.
    service = own.filter(kind="service")
    assert Deadline.objects.filter(rule="F1").count() == service.count()
    assert not Deadline.objects.filter(rule="F1", closed_at__isnull=True, subject_id__in=service.exclude(
        state__in=feedback_rules.OPEN_STATES).values("pk")).exists()  # fmt: skip


def test_rounds_are_what_the_services_leave_and_their_pages_render(seeded, client):
    deadlines = _deadlines()
    settings = settings_for(SurveyRound.objects.first().office.company)
    for r in SurveyRound.objects.select_related("office", "community"):
        deadline_sync(r, survey_rules.deadline_plan(r), done=survey_rules.done_rules(r), now=NOW)
        if r.drawn_at is None:
            assert not r.sample.exists()
            continue
        size = survey_rules.sample_size(
            r.policy, occupied_units=Unit.objects.filter(building__community=r.community, occupied=True).count(),
            households=r.community.households,
            occupied_since=r.community.occupied_on, on=r.drawn_at.astimezone(survey_rules.SHANGHAI).date(),
        )  # fmt: skip
        assert r.required_size == size == r.sample.count()
        by_building: dict[int, list[int]] = {}
        for unit, building in r.community.buildings.values_list("units__id", "id"):
            by_building.setdefault(building, []).append(unit)
        # S4: the recorded seed redraws the same sample.
        redrawn = survey_rules.draw_sample(by_building, size, r.seed)
        assert sorted(redrawn) == sorted(r.sample.values_list("unit_id", flat=True))
        proxies = Response.objects.filter(sample_unit__round=r, proxy=True).count()
        assert proxies <= survey_rules.proxy_cap(size, settings.proxy_cap)
        if r.statistics_at:
            dissatisfied = Answer.objects.filter(response__sample_unit__round=r, level=survey_rules.Level.DISSATISFIED)
            assert ReturnVisit.objects.filter(round=r).count() == dissatisfied.count()
            for answer in Answer.objects.filter(response__sample_unit__round=r).exclude(comment=""):
                assert Entry.objects.filter(source_key=f"survey-answer:{answer.pk}", channel="survey").exists()
    assert _deadlines() == deadlines
    for second in SecondEntry.objects.select_related("sample_unit"):
        assert entry_differences(second.sample_unit) == []
    assert SampleUnit.objects.values("token").annotate(n=Count("pk")).filter(n__gt=1).count() == 0
    _pages_render(client)


@override_settings(STORAGES={
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
})  # fmt: skip
def _pages_render(client):
    client.force_login(User.objects.get(username="b5_qa_manager"))
    analysed = SurveyRound.objects.filter(state="analysed").first()
    live = SurveyRound.objects.exclude(state="analysed").first()
    for r in (analysed, live):
        for page in ("", "statistics/", "sample/", "report/"):
            assert client.get(f"/surveys/{r.pk}/{page}").status_code == 200, (r.state, page)
    assert client.get(f"/surveys/{analysed.pk}/letter/").status_code == 200
    for url in ("/surveys/", "/surveys/company/", "/surveys/return-visits/", "/feedback/", "/feedback/?q=漏水"):
        assert client.get(url).status_code == 200, url
    for entry in (Entry.objects.filter(kind="service").first(), Entry.objects.filter(channel="survey").first(),
                  Entry.objects.filter(complaint__isnull=False).first()):  # fmt: skip
        if entry is not None:
            assert client.get(f"/feedback/{entry.pk}/").status_code == 200


def test_every_sequence_is_past_the_rows_the_seed_wrote(seeded):
    """On PostgreSQL the seed gives ids itself; every table's id sequence must end up past them, or the
    product's next insert fails (the survey stage's deadlines and comment entries once did not)."""
    from django.apps import apps
    from django.db import connection, models

    if connection.vendor != "postgresql":
        pytest.skip("sequences: PostgreSQL only (SQLite takes the next id from the table)")
    behind = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            pk = model._meta.pk
            if not isinstance(pk, models.AutoField | models.BigAutoField) or model._meta.proxy:
                continue
            table = model._meta.db_table
            cursor.execute(
                f"SELECT (SELECT MAX({pk.column}) FROM {table}), "  # noqa: S608 - names from the models
                f"(SELECT last_value FROM {connection.ops.quote_name(_sequence(cursor, table, pk.column))})"
            )
            most, last = cursor.fetchone()
            if most is not None and last < most:
                behind.append(f"{table}: {last} < {most}")
    assert behind == []
    # And the product's own insert works.
    Deadline.objects.create(**{f.attname: getattr(Deadline.objects.first(), f.attname) for f in _copyable()})


def _sequence(cursor, table: str, column: str) -> str:
    cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
    return cursor.fetchone()[0].split(".")[-1]


def _copyable():
    return [f for f in Deadline._meta.concrete_fields if not f.primary_key]
