"""Seed stage 2: complaints over the years with their timeline events and deadlines, shaped as the
services make them (complaints.rules.deadline_plan through clock.deadlines.deadline_sync): a C3
deadline on every complaint (met, breached, or live while unanswered), C11 on forwarded ones, C8-DL
on those given a handling deadline; live ones open or breached, the others closed. Skew: a few busy
offices, summer (rainy season) and winter peaks, more complaints each year, most in working time;
about 80% closed. The complaint row carries its next due time and search column, as the hook and
save() write them."""

from __future__ import annotations

import datetime
import functools
import json
from bisect import bisect_right
from collections import Counter
from itertools import accumulate

from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from clock.calendar import SHANGHAI, WARN_FRACTION, WorkCalendar
from clock.models import Deadline, DeadlineState, Measure
from complaints.models import Complaint, ComplaintEvent, YearCounter
from complaints.rules import QA_ROLES, RULE_C3, RULE_C8_HANDLING, RULE_C11, RULE_TITLES
from complaints.search import search_document
from estates.models import Role

from .complaint_text import content
from .context import Context
from .writer import CHUNK, RawJson, Template, drain, next_id, reset_sequences, write

CATEGORIES = {
    "repairs": 34,
    "security": 8,
    "cleaning": 12,
    "charges": 9,
    "attitude": 7,
    "noise": 10,
    "parking": 9,
    "building": 5,
    "facilities": 3,
    "other": 3,
}
CHANNELS = {
    "phone": 55,
    "visit": 25,
    "online": 8,
    "letter": 2,
    "email": 3,
    "company": 3,
    "cs_centre": 3,
    "government": 1,
}
# Month weights: rainy-season leaks (June-August) and winter (heating, pipes) peaks.
SEASON = [1.1, 0.8, 0.9, 1.0, 1.1, 1.4, 1.5, 1.4, 1.1, 0.9, 1.0, 1.2]
# Older complaints by state (a complaint received more than 30 days ago); about 80% closed overall.
OLD_STATES = {
    "closed": 780,
    "invalid": 30,
    "awaiting_rv": 100,
    "result_told": 42,
    "in_handling": 30,
    "responded": 10,
    "received": 8,
}
NEW_STATES = {
    "closed": 300,
    "invalid": 10,
    "awaiting_rv": 120,
    "result_told": 80,
    "in_handling": 250,
    "responded": 140,
    "received": 100,
}


_CUMULATIVE: dict[int, tuple[list[str], list[int]]] = {}


def _weighted(rng, table: dict[str, int], k: int) -> list[str]:
    # The cumulative weights once per table: random.choices draws exactly as with `weights=` (it
    # accumulates them itself), so the output for a seed is unchanged, without a list per row.
    keys, cum = _CUMULATIVE.get(id(table)) or _CUMULATIVE.setdefault(
        id(table), (list(table), list(accumulate(table.values())))
    )
    return rng.choices(keys, cum_weights=cum, k=k)


class _Days:
    """Next working day after a date, memoised (the C3 due time without walking the calendar per row:
    8 working hours from a moment in working time is the same clock time on the next working day)."""

    def __init__(self) -> None:
        self.calendar = WorkCalendar.default()
        # The day's facts once per day for the calendar's own walks too (C11's working hours).
        self.calendar.day_info = functools.lru_cache(maxsize=None)(self.calendar.day_info)
        self._working: dict[datetime.date, bool] = {}

    def working(self, day: datetime.date) -> bool:
        if day not in self._working:
            self._working[day] = self.calendar.day_info(day).is_working
        return self._working[day]

    def c3(self, received: datetime.datetime) -> tuple[datetime.datetime, str, int]:
        local = received.astimezone(SHANGHAI)
        t = local.time()
        in_time = self.working(local.date()) and (
            datetime.time(9) <= t < datetime.time(12) or datetime.time(13) <= t < datetime.time(18)
        )
        if not in_time:
            return received + datetime.timedelta(hours=24), Measure.WALL_HOURS, 24
        day = local.date() + datetime.timedelta(days=1)
        while not self.working(day):
            day += datetime.timedelta(days=1)
        return datetime.datetime.combine(day, t, tzinfo=SHANGHAI), Measure.WORKING_HOURS, 8


def _moments(ctx: Context, k: int | None = None) -> list[datetime.datetime]:
    """`k` receipt moments (default: the complaints'): days by season and yearly growth, weekdays
    busier, hours mostly working time."""
    rng = ctx.rng
    start = ctx.start.astimezone(SHANGHAI).date()
    days = [start + datetime.timedelta(days=i) for i in range(ctx.years * 365)]
    weights = [
        SEASON[d.month - 1] * (1 + 0.15 * (i / 365)) * (1.0 if d.weekday() < 5 else 0.6) for i, d in enumerate(days)
    ]
    cum = list(accumulate(weights))
    hours = [0.2] * 7 + [1, 2, 5, 6, 5, 2, 4, 6, 6, 5, 5, 3, 2, 1.5, 1, 0.6, 0.3]
    picked_hours = rng.choices(range(24), weights=hours, k=ctx.complaints if k is None else k)
    out = []
    for h in picked_hours:
        day = days[min(bisect_right(cum, rng.random() * cum[-1]), len(days) - 1)]
        local = datetime.datetime.combine(day, datetime.time(h, rng.randrange(60), rng.randrange(60)), SHANGHAI)
        out.append(min(local.astimezone(datetime.UTC), ctx.end - datetime.timedelta(minutes=1)))
    out.sort()
    return out


# The tables this stage bulk-loads: their indexes are built once after every stage (the command).
BULK = (Complaint, ComplaintEvent, Deadline)


def run(ctx: Context) -> None:  # noqa: C901 - one pass writing three tables, kept together on purpose
    rng, made = ctx.rng, ctx.made
    offices = made["offices"]
    weights = made["office_weights"]
    users = made["users"]
    qa = users[Role.QA_STAFF][0]
    office_staff = {o.pk: (users[Role.FRONT_DESK][i], users[Role.CS_ASSISTANT][i]) for i, o in enumerate(offices)}
    departments = made["departments"]
    units_by_office, residents, unit_numbers = made["units_by_office"], made["residents"], made["unit_numbers"]
    days = _Days()
    ct = ContentType.objects.get_for_model(Complaint)
    with translation.override("zh-hans"):
        titles = {rule: str(RULE_TITLES[rule]) for rule in (RULE_C3, RULE_C11, RULE_C8_HANDLING)}

    ct_t, ev_t, dl_t = Template(Complaint), Template(ComplaintEvent), Template(Deadline)
    cid, eid, did = next_id(Complaint), next_id(ComplaintEvent), next_id(Deadline)
    moments = _moments(ctx)
    picked_offices = rng.choices(offices, weights=weights, k=len(moments))
    cats = _weighted(rng, CATEGORIES, len(moments))
    chans = _weighted(rng, CHANNELS, len(moments))
    # Numbers go on from the year counters (a second seed in the same database: no clash).
    year_counts: Counter[int] = Counter(dict(YearCounter.objects.values_list("year", "last")))
    stats: Counter[str] = Counter()
    rows_c, rows_e, rows_d = [], [], []
    recent = ctx.end - datetime.timedelta(days=30)
    escalate_json = {
        roles: RawJson(json.dumps(list(roles), ensure_ascii=False))
        for roles in (QA_ROLES, (*QA_ROLES, Role.ASSISTANT_GM))
    }

    def deadline(
        rule, basis, measure, amount, due, office_id, number, state, closed_at, *, dept=None, role="", escalate=QA_ROLES
    ):
        nonlocal did
        opened = basis
        warn = opened + (due - opened) * float(WARN_FRACTION) if due > opened else due
        breached_at = due if state == DeadlineState.BREACHED else None
        rows_d.append(
            dl_t.row(
                id=did,
                office_id=office_id,
                company_id=made["company"].pk,
                subject_type_id=ct.pk,
                subject_id=cid,
                rule=rule,
                title=(titles[rule] % {"number": number})[:200],
                params=RawJson(f'{{"number": "{number}"}}'),  # json.dumps's text, without the call
                basis_at=basis,
                measure=measure,
                amount=amount,
                responsible_department_id=dept,
                responsible_role=role,
                escalate_roles=escalate_json[escalate],
                opened_at=opened,
                due_at=due,
                warn_at=warn,
                state=state,
                warned_at=warn if warn <= (closed_at or ctx.end) else None,
                breached_at=breached_at,
                closed_at=closed_at,
                link=f"/complaints/{cid}/",
            )
        )
        did += 1
        stats[f"deadline {state}{' live' if closed_at is None else ''}"] += 1

    def event(at, kind, actor, frm="", to=""):
        nonlocal eid
        rows_e.append(ev_t.row(id=eid, complaint_id=cid, at=at, actor_id=actor, kind=kind, from_state=frm, to_state=to))
        eid += 1

    def flush():
        write(ct_t, rows_c)
        write(ev_t, rows_e)
        write(dl_t, rows_d)
        rows_c.clear(), rows_e.clear(), rows_d.clear()

    for received, office, category, channel in zip(moments, picked_offices, cats, chans, strict=True):
        year = received.astimezone(SHANGHAI).year
        year_counts[year] += 1
        number = f"TS-{year}-{year_counts[year]:06d}"
        state = _weighted(rng, OLD_STATES if received < recent else NEW_STATES, 1)[0]
        stats[state] += 1
        fd, cs = office_staff[office.pk]
        unit = rng.choice(units_by_office[office.pk]) if rng.random() < 0.75 else None
        resident = residents.get(unit) if unit and rng.random() < 0.6 else None
        contact = "" if resident else rng.choice(["王先生", "李女士", "张阿姨", "刘先生", "业主", ""])
        phone = "" if resident else f"13{rng.randrange(10**9):09d}"
        text = content(rng, category)
        klass = None if state == "received" else (1 if rng.random() < 0.7 else rng.choice((2, 3)))
        dept = rng.choice(departments[office.pk]).pk if state not in ("received", "responded") else None
        age = ctx.end - received
        step = min(age / 6, datetime.timedelta(days=rng.uniform(0.2, 4)))
        c3_due, measure, amount = days.c3(received)
        responded = (
            None if state == "received" else received + min(step * 0.3, (c3_due - received) * rng.uniform(0.2, 1.3))
        )
        result_told = received + step * 3 if state in ("result_told", "awaiting_rv", "closed") else None
        closed = received + step * 5 if state in ("closed", "invalid") else None
        forwarded = received + step if dept and rng.random() < 0.3 else None
        measures_at = None if forwarded is None or (state == "in_handling" and rng.random() < 0.5) else forwarded + step
        handling_due = received + step * 4 if dept and rng.random() < 0.15 else None
        live_dl = state in ("received", "responded", "in_handling")
        # C3: live while unanswered; else met or breached by the first response (or closed unanswered).
        if responded is None and live_dl:
            c3_state = DeadlineState.BREACHED if c3_due <= ctx.end else DeadlineState.OPEN
            deadline(
                RULE_C3, received, measure, amount, c3_due, office.pk, number, c3_state, None, role=Role.CS_ASSISTANT
            )
        else:
            answered = responded or closed
            late = answered > c3_due
            deadline(
                RULE_C3,
                received,
                measure,
                amount,
                c3_due,
                office.pk,
                number,
                DeadlineState.BREACHED if late else DeadlineState.MET,
                answered,
                role=Role.CS_ASSISTANT,
            )
        nexts = [c3_due] if responded is None and live_dl else []
        if forwarded is not None:
            due = (
                days.calendar.add_working_hours(forwarded, 8).at
                if live_dl and measures_at is None
                else forwarded + datetime.timedelta(days=1)
            )
            if live_dl and measures_at is None:
                deadline(
                    RULE_C11,
                    forwarded,
                    Measure.WORKING_HOURS,
                    8,
                    due,
                    office.pk,
                    number,
                    DeadlineState.BREACHED if due <= ctx.end else DeadlineState.OPEN,
                    None,
                    dept=dept,
                )
                nexts.append(due)
            else:
                done = measures_at or closed or result_told or forwarded + step
                deadline(
                    RULE_C11,
                    forwarded,
                    Measure.WORKING_HOURS,
                    8,
                    due,
                    office.pk,
                    number,
                    DeadlineState.BREACHED if done > due else DeadlineState.MET,
                    done,
                    dept=dept,
                )
        if handling_due is not None:
            if live_dl:
                deadline(
                    RULE_C8_HANDLING,
                    handling_due,
                    Measure.FIXED,
                    0,
                    handling_due,
                    office.pk,
                    number,
                    DeadlineState.BREACHED if handling_due <= ctx.end else DeadlineState.OPEN,
                    None,
                    dept=dept,
                    escalate=(*QA_ROLES, Role.ASSISTANT_GM),
                )
                nexts.append(handling_due)
            else:
                done = result_told or closed
                deadline(
                    RULE_C8_HANDLING,
                    handling_due,
                    Measure.FIXED,
                    0,
                    handling_due,
                    office.pk,
                    number,
                    DeadlineState.BREACHED if done > handling_due else DeadlineState.MET,
                    done,
                    dept=dept,
                    escalate=(*QA_ROLES, Role.ASSISTANT_GM),
                )
        event(received, "created", fd, "", "received")
        if responded:
            event(responded, "responded", cs, "received", "responded")
        if dept and state == "in_handling":
            event(received + step * 2, "handling", cs, "responded", "in_handling")
        if result_told:
            event(result_told, "result_told", cs, "in_handling", "result_told")
        if closed:
            event(closed, "closed" if state == "closed" else "invalid", qa, "result_told", state)
        unit_no = unit_numbers[unit] if unit else ""
        rows_c.append(
            ct_t.row(
                id=cid,
                office_id=office.pk,
                number=number,
                kind="complaint" if rng.random() < 0.9 else "suggestion",
                channel=channel,
                resident_id=resident[0] if resident else None,
                unit_id=unit,
                contact_name=contact,
                contact_phone=phone,
                received_at=received,
                received_by_id=fd,
                content=text,
                complaint_class=klass,
                category=category if klass else "",
                important=rng.random() < 0.02,
                classified_at=responded if klass else None,
                department_id=dept,
                forwarded_at=forwarded,
                measures_reported_at=measures_at,
                measures="已整改" if measures_at else "",
                handling_due_at=handling_due,
                handling_due_set_at=received + step if handling_due else None,
                handling_opinion="尽快处理" if dept else "",
                state=state,
                responded_at=responded,
                response_note="已致歉并登记" if responded else "",
                result="已处理" if result_told else "",
                result_told_at=result_told,
                closed_at=closed,
                invalid=state == "invalid",
                invalid_explanation="已向业主耐心解释" if state == "invalid" else "",
                return_visit_required=True if state == "closed" and rng.random() < 0.5 else None,
                created_at=received,
                updated_at=closed or result_told or responded or received,
                next_due_at=min(nexts) if nexts else None,
                search_text=search_document([number, text, contact, phone, unit_no, resident[1] if resident else ""]),
            )
        )
        cid += 1
        if len(rows_c) >= CHUNK // 2:
            flush()
            ctx.log(f"complaints: {cid - 1:,} written")
    flush()
    drain()  # no other statement on the connection while a COPY is under way
    for year, last in year_counts.items():
        YearCounter.objects.update_or_create(year=year, defaults={"last": last})
    reset_sequences(Complaint, ComplaintEvent, Deadline)
    ctx.log("complaints: " + ", ".join(f"{k} {v:,}" for k, v in sorted(stats.items())))
