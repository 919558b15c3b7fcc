"""What a survey round leaves besides its sample and answers, written for the surveys stage:

- the clock's deadlines of each step (rules.deadline_plan: S5 hand-out, S7 collection, S9
  statistics, S15 open letter, S16 to QA, S19 results), met or breached when the step was done,
  live (open or breached) for the round still under way — the rows deadline_sync leaves;
- at the statistics (services.followup.statistics_done): a return visit per dissatisfied answer
  (S18, visited afterwards), a corrective action per item with dissatisfied answers for its
  department (S17, with its F2-CA deadline), each resident comment a register entry (S9);
- the open letter posted (S15)."""

from __future__ import annotations

import datetime
import json

from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from django.utils.translation import gettext

from clock.calendar import SHANGHAI, WARN_FRACTION, within_days
from clock.models import Deadline, DeadlineState, Measure
from complaints.search import search_document
from estates.models import Role
from feedback.models import CorrectiveAction, Entry, EntryEvent
from feedback.rules import RULE_ACTION, end_of_day
from feedback.rules import RULE_TITLES as FEEDBACK_TITLES
from surveys.models import OpenLetter, ReturnVisit, SurveyRound
from surveys.rules import (
    COLLECT_DAYS,
    DEADLINE_TITLES,
    ESCALATE_ROLES,
    HANDOUT_DAYS,
    LETTER_DAYS,
    RESPONSIBLE_ROLE,
    RULE_S5,
    RULE_S7,
    RULE_S9,
    RULE_S15,
    RULE_S16,
    RULE_S19,
    STATISTICS_DAYS,
    TO_QA_DAYS,
    period_text,
    within_months,
)
from surveys.services.register import ACTION_DAYS

from .context import Context
from .writer import RawJson, Template, next_id, write

# Every model this stage writes with ids of its own: their sequences are moved past them afterwards.
BULK = (Deadline, ReturnVisit, CorrectiveAction, OpenLetter, Entry, EntryEvent)
OUTCOMES = ["satisfied"] * 6 + ["dissatisfied"] * 2 + ["unreachable"] * 2


class Followup:
    def __init__(self, ctx: Context, departments: dict, people: dict, qa_staff: int) -> None:
        self.ctx, self.rng, self.end = ctx, ctx.rng, ctx.end
        self.company = ctx.made["company"].pk
        self.departments, self.people, self.qa_staff = departments, people, qa_staff
        self.round_ct = ContentType.objects.get_for_model(SurveyRound).pk
        self.action_ct = ContentType.objects.get_for_model(CorrectiveAction).pk
        with translation.override("zh-hans"):
            self.titles = {rule: str(text) for rule, text in DEADLINE_TITLES.items()}
            self.action_title = str(FEEDBACK_TITLES[RULE_ACTION])
            self.nonconformity = gettext("Survey nonconformity: %(item)s (%(n)d dissatisfied)")
            self.action_text = gettext("%(community)s %(period)s satisfaction survey (S17).")
        self.t = {m: Template(m) for m in (Deadline, ReturnVisit, CorrectiveAction, OpenLetter, Entry, EntryEvent)}
        self.ids = {m: next_id(m) for m in self.t}
        self.rows: dict = {m: [] for m in self.t}
        self.escalate = RawJson(json.dumps([str(r) for r in ESCALATE_ROLES]))
        self.counts = {"deadlines": 0, "return visits": 0, "actions": 0, "letters": 0, "comment entries": 0}

    def _add(self, model, **values) -> int:
        pk = self.ids[model]
        self.ids[model] += 1
        self.rows[model].append(self.t[model].row(id=pk, **values))
        return pk

    def _deadline(self, *, rule, title, params, office, subject_ct, subject, basis, measure, amount, due, done,
                  opened, link, role="", dept=None, escalate=None) -> None:  # fmt: skip
        if done is not None and done <= self.end:
            state = DeadlineState.BREACHED if done > due else DeadlineState.MET
            closed = done
        else:
            state, closed = (DeadlineState.BREACHED if due <= self.end else DeadlineState.OPEN), None
        warn = opened + (due - opened) * float(WARN_FRACTION) if due > opened else due
        self._add(
            Deadline,
            office_id=office,
            company_id=self.company,
            subject_type_id=subject_ct,
            subject_id=subject,
            rule=rule,
            title=title[:200],
            params=RawJson(json.dumps(params, ensure_ascii=False)),
            basis_at=basis,
            measure=measure,
            amount=amount,
            responsible_department_id=dept,
            responsible_role=role,
            escalate_roles=escalate or self.escalate,
            opened_at=opened,
            due_at=due,
            warn_at=warn,
            state=state,
            warned_at=warn if warn <= (closed or self.end) else None,
            breached_at=due if state == DeadlineState.BREACHED else None,
            closed_at=closed,
            link=link,
        )
        self.counts["deadlines"] += 1

    def deadlines(self, community, rid: int, t: dict, year: int, half: int) -> None:
        params = {"community": community.name, "period": _period(year, half)}
        title = {rule: text % params for rule, text in self.titles.items()}
        steps = [  # rule, basis, measure, amount, due, done
            (RULE_S5, t["forms_received"], Measure.WITHIN_DAYS, HANDOUT_DAYS, t["handout_done"]),
            (RULE_S7, t["handout_done"], Measure.WITHIN_DAYS, COLLECT_DAYS, t["closed"]),
            (RULE_S9, t["closed"], Measure.WITHIN_DAYS, STATISTICS_DAYS, t["statistics"]),
            (RULE_S15, t["closed"], Measure.WITHIN_DAYS, LETTER_DAYS, t["letter_posted"]),
            (RULE_S19, within_months(t["closed"], 1), Measure.FIXED, 0, t["results_posted"]),
            (RULE_S16, t["letter_posted"], Measure.WITHIN_DAYS, TO_QA_DAYS, t["sent_to_qa"]),
        ]
        for rule, basis, measure, amount, done in steps:
            opened = t["closed"] if rule == RULE_S19 else basis
            if opened > self.end:
                continue
            due = basis if measure == Measure.FIXED else within_days(basis, amount)
            self._deadline(
                rule=rule, title=title[rule], params=params, office=community.office_id, subject_ct=self.round_ct,
                subject=rid, basis=basis, measure=measure, amount=amount, due=due, done=done, opened=opened,
                link=f"/surveys/{rid}/", role=RESPONSIBLE_ROLE,
            )  # fmt: skip
        if t["letter_posted"] <= self.end:
            cs, cs_dm, _om = self.people[community.office_id]
            self._add(
                OpenLetter,
                round_id=rid,
                title=f"{community.name}{params['period']}满意度调查致业主的公开信",
                body="感谢各位业主参与本次满意度调查。针对大家提出的问题，我们将逐项整改并公示进展。",
                state=OpenLetter.State.POSTED,
                author_id=cs_dm,
                created_at=t["statistics"],
                submitted_at=t["statistics"] + (t["letter_posted"] - t["statistics"]) / 3,
                approved_by_id=self.ctx.made["users"][Role.MGMT_REP][0],
                approved_at=t["statistics"] + (t["letter_posted"] - t["statistics"]) * 2 / 3,
                posted_at=t["letter_posted"],
            )
            self.counts["letters"] += 1

    def analysed(self, community, rid: int, items, dissatisfied, stats: dict, year: int, half: int) -> None:
        """statistics_done: return visits, and a corrective action per item with dissatisfied answers."""
        at = stats["statistics_at"]
        office = community.office_id
        cs, cs_dm, om = self.people[office]
        by_item: dict[int, list[tuple[int, int]]] = {}
        for su, question, answer in dissatisfied:
            by_item.setdefault(question, []).append((su, answer))
        for question in items:
            visits = by_item.get(question.pk)
            if not visits:
                continue
            dept = self.departments.get((office, question.department_kind)) or self.departments.get(
                (None, question.department_kind)
            )
            due_on = at.astimezone(SHANGHAI).date() + datetime.timedelta(days=ACTION_DAYS)
            done = at + datetime.timedelta(days=self.rng.uniform(5, 35))
            verified = done + datetime.timedelta(days=self.rng.uniform(1, 10))
            done = done if done <= self.end else None
            verified = verified if done and verified <= self.end else None
            title = self.nonconformity % {"item": question.text, "n": len(visits)}
            action = self._add(
                CorrectiveAction,
                office_id=office,
                source="survey",
                title=title[:200],
                description=self.action_text % {"community": community.name, "period": _period(year, half)},
                department_id=dept,
                owner_id=None if dept else cs_dm,
                due_on=due_on,
                state="verified" if verified else ("done" if done else "open"),
                done_note="已整改" if done else "",
                done_at=done,
                done_by_id=cs_dm if done else None,
                effectiveness="整改有效" if verified else "",
                effective=True if verified else None,
                verified_by_id=om if verified else None,
                verified_at=verified,
                created_by_id=cs_dm,
                created_at=at,
                updated_at=verified or done or at,
            )
            basis = end_of_day(due_on)
            params = {"title": title[:200]}
            self._deadline(
                rule=RULE_ACTION, title=self.action_title % params, params=params, office=office,
                subject_ct=self.action_ct, subject=action, basis=basis, measure=Measure.FIXED, amount=0, due=basis,
                done=done, opened=at, link=f"/feedback/actions/{action}/", dept=dept,
                role="" if dept else "", escalate=RawJson(json.dumps([str(Role.OFFICE_MANAGER)])),
            )  # fmt: skip
            for su, answer in visits:
                visited = at + datetime.timedelta(days=self.rng.uniform(0.5, 10))
                visited = visited if visited <= self.end else None
                self._add(
                    ReturnVisit,
                    round_id=rid,
                    sample_unit_id=su,
                    question_id=question.pk,
                    answer_id=answer,
                    corrective_action_id=action,
                    state="done" if visited else "pending",
                    outcome=self.rng.choice(OUTCOMES) if visited else "",
                    note="已电话回访" if visited else "",
                    visited_by_id=cs if visited else None,
                    visited_at=visited,
                )
                self.counts["return visits"] += 1
            self.counts["actions"] += 1

    def comment(self, community, unit: int, answer: int, question, text: str, submitted, stats, by: int) -> None:
        """comments_to_register: the comment of an analysed round as a register entry (F1), closed
        by the office a few days later."""
        at = stats["statistics_at"]
        if at is None or submitted is None:
            return
        content = f"{question.text}：{text}"
        closed = at + datetime.timedelta(days=self.rng.uniform(1, 7))
        closed = closed if closed <= self.end else None
        entry = self._add(
            Entry,
            office_id=community.office_id,
            source_key=f"survey-answer:{answer}",
            channel="survey",
            kind="suggestion",
            community_id=community.pk,
            unit_id=unit,
            content=content,
            received_at=submitted,
            received_by_id=by,
            outcome="已回复业主" if closed else "",
            state="closed" if closed else "open",
            done_at=closed,
            closed_at=closed,
            search_text=search_document([content]),
            created_at=at,
            updated_at=closed or at,
        )
        self._add(EntryEvent, entry_id=entry, at=at, actor_id=by, what="created", to_state="open")
        if closed:
            self._add(EntryEvent, entry_id=entry, at=closed, actor_id=by, what="closed", note="已回复业主",
                      from_state="open", to_state="closed")  # fmt: skip
        self.counts["comment entries"] += 1

    def flush(self) -> None:
        for model, rows in self.rows.items():
            write(self.t[model], rows)
            rows.clear()

    def summary(self) -> str:
        return ", ".join(f"{k} {v:,}" for k, v in self.counts.items())


_PERIODS: dict[tuple[int, int], str] = {}


def _period(year: int, half: int) -> str:
    # stored_period_text: in the product's language, whoever's request made it.
    if (year, half) not in _PERIODS:
        with translation.override("zh-hans"):
            _PERIODS[(year, half)] = str(period_text(year, half))
    return _PERIODS[(year, half)]
