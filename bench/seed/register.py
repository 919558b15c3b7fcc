"""Seed stage 3: the customer communication register (F1), as feedback.services make it.

- Every seeded complaint stands in the register as its mirror entry (what
  feedback.services.mirror_complaints makes: no events, state in progress or closed with the
  complaint, the matching category), written by one INSERT … SELECT in the database.
- The register's own entries (`ctx.entries` in all, mirrors included): enquiries, opinions, praise,
  suggestions and service requests over the years with the complaints' skew (busy offices, season,
  working hours). Each has its history lines as entry_create / entry_update write them (created;
  closed on the spot; state and assignment; done; closed) and a service request its F1 deadline
  (live while open, met or breached once done), its due time kept on the row. `search_text` is
  search_document([content]) as Entry.save() writes it."""

from __future__ import annotations

import datetime
import functools
import json

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import translation

from clock.calendar import WARN_FRACTION, WorkCalendar
from clock.models import Deadline, DeadlineState, Measure
from complaints.machine import OPEN_STATES as COMPLAINT_OPEN
from complaints.search import search_document
from estates.models import Role
from feedback.models import Entry, EntryEvent
from feedback.rules import RULE_SERVICE, RULE_TITLES
from feedback.services import categories_for
from feedback.services.register import _MIRROR_CATEGORY, _MIRROR_CHANNEL, _MIRROR_KIND

from .complaints import _moments, _weighted
from .context import Context
from .register_text import entry_content
from .writer import CHUNK, RawJson, Template, drain, next_id, reset_sequences, write

BULK = (Entry, EntryEvent)
KINDS = {"service": 38, "enquiry": 27, "opinion": 14, "suggestion": 9, "praise": 7, "complaint_like": 5}
CHANNELS = {"phone": 50, "visit": 31, "online": 10, "letter": 1, "email": 3, "other": 5}
CATEGORIES = {
    "repairs": 30,
    "customer_service": 12,
    "security": 7,
    "cleaning": 12,
    "greening": 4,
    "facilities": 9,
    "parking": 9,
    "fees": 8,
    "neighbours": 5,
    "other": 4,
}
# An entry older than 30 days, by state (most done with); a recent one.
OLD_STATES = {"closed": 86, "done": 9, "in_progress": 3, "open": 2}
NEW_STATES = {"closed": 30, "done": 20, "in_progress": 30, "open": 20}
ON_THE_SPOT = ("enquiry", "praise", "opinion")
DEPT_NAMES = {"customer_service": "客户服务部", "engineering": "工程部", "security": "保安部", "cleaning": "环境部"}


def run(ctx: Context) -> None:
    if ctx.entries == 0:  # `--entries 0`: no register (mirror_complaints would make the mirrors later)
        return
    mirrored = _mirror(ctx)
    own = max(0, ctx.entries - mirrored)
    _own(ctx, own)
    reset_sequences(Entry, EntryEvent, Deadline)
    ctx.log(f"register: {mirrored:,} complaint mirrors, {own:,} own entries")


def _mirror(ctx: Context) -> int:
    """mirror_complaints's rows for this seed's complaints, in the database (no Python per row)."""
    drain()  # the complaints stored before they are read
    offices = [o.pk for o in ctx.made["offices"]]
    codes = {c.code: c.pk for c in categories_for(ctx.made["company"])}
    marks = ", ".join(["%s"] * len(offices))
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE seed_search (content text PRIMARY KEY, doc text NOT NULL)")
        cursor.execute(f"SELECT DISTINCT content FROM complaints_complaint WHERE office_id IN ({marks})", offices)  # noqa: S608
        docs = [(text, search_document([text])) for (text,) in cursor.fetchall()]
        cursor.executemany("INSERT INTO seed_search (content, doc) VALUES (%s, %s)", docs)
        params: list = []

        def case(column: str, mapping: dict, default) -> str:
            whens = []
            for key, value in mapping.items():
                whens.append("WHEN %s THEN %s")
                params.extend([key, value])
            params.append(default)
            return f"CASE {column} {' '.join(whens)} ELSE %s END"

        channel = case("c.channel", {k: str(v) for k, v in _MIRROR_CHANNEL.items()}, "other")
        kind = case("c.kind", {k: str(v) for k, v in _MIRROR_KIND.items()}, "complaint")
        category = case("c.category", {k: codes[v] for k, v in _MIRROR_CATEGORY.items() if v in codes}, None)
        open_states = ", ".join(["%s"] * len(COMPLAINT_OPEN))
        params += [*COMPLAINT_OPEN, *COMPLAINT_OPEN, False, 0, *offices]
        cursor.execute(
            f"""INSERT INTO feedback_entry (office_id, channel, kind, category_id, community_id, unit_id,
                resident_id, contact_name, contact_phone, content, received_at, received_by_id, action,
                outcome, state, closed_at, complaint_id, follow_up, reopen_count, search_text, created_at,
                updated_at)
            SELECT c.office_id, {channel}, {kind}, {category}, b.community_id, c.unit_id, c.resident_id,
                c.contact_name, c.contact_phone, c.content, c.received_at, c.received_by_id, '', c.result,
                CASE WHEN c.state IN ({open_states}) THEN 'in_progress' ELSE 'closed' END,
                CASE WHEN c.state IN ({open_states}) THEN NULL ELSE COALESCE(c.closed_at, c.updated_at) END,
                c.id, %s, %s, s.doc, c.received_at, c.updated_at
            FROM complaints_complaint c
            LEFT JOIN estates_unit u ON u.id = c.unit_id
            LEFT JOIN estates_building b ON b.id = u.building_id
            JOIN seed_search s ON s.content = c.content
            WHERE c.office_id IN ({marks})
              AND NOT EXISTS (SELECT 1 FROM feedback_entry e WHERE e.complaint_id = c.id)
            ORDER BY c.id""",  # noqa: S608 - the SQL's own text; values are parameters
            params,
        )
        made = cursor.rowcount
        cursor.execute("DROP TABLE seed_search")
    return made


class _Due:
    """F1 due times (working hours from receipt), as the clock computes them."""

    def __init__(self) -> None:
        self.calendar = WorkCalendar.default()
        # The day's facts once per day (chinese_calendar's look-up is most of a due time's cost).
        self.calendar.day_info = functools.lru_cache(maxsize=None)(self.calendar.day_info)

    def __call__(self, received: datetime.datetime, hours: int) -> datetime.datetime:
        return self.calendar.add_working_hours(received, hours).at


def _own(ctx: Context, count: int) -> None:  # noqa: C901, PLR0915 - one pass writing three tables
    if count == 0:
        return
    rng, made = ctx.rng, ctx.made
    offices, users, departments = made["offices"], made["users"], made["departments"]
    office_staff = {
        o.pk: (users[Role.FRONT_DESK][i], users[Role.CS_ASSISTANT][i], users[Role.OFFICE_MANAGER][i])
        for i, o in enumerate(offices)
    }
    units_by_office, residents, unit_community = made["units_by_office"], made["residents"], made["unit_community"]
    categories = {c.code: (c.pk, c.service_hours or 8) for c in categories_for(made["company"])}
    ct = ContentType.objects.get_for_model(Entry)
    with translation.override("zh-hans"):
        title = str(RULE_TITLES[RULE_SERVICE])
    escalate = RawJson(json.dumps([Role.OFFICE_MANAGER.value]))
    en_t, ev_t, dl_t = Template(Entry), Template(EntryEvent), Template(Deadline)
    eid, vid, did = next_id(Entry), next_id(EntryEvent), next_id(Deadline)
    moments = _moments(ctx, count)
    picked = rng.choices(offices, weights=made["office_weights"], k=count)
    kinds = _weighted(rng, KINDS, count)
    channels = _weighted(rng, CHANNELS, count)
    codes = _weighted(rng, CATEGORIES, count)
    recent = ctx.end - datetime.timedelta(days=30)
    due_of = _Due()
    docs: dict[str, str] = {}
    rows_e, rows_v, rows_d = [], [], []

    def event(at, what, actor, frm="", to="", note=""):
        nonlocal vid
        rows_v.append(
            ev_t.row(id=vid, entry_id=eid, at=at, actor_id=actor, what=what, note=note, from_state=frm, to_state=to)
        )
        vid += 1

    for received, office, kind, channel, code in zip(moments, picked, kinds, channels, codes, strict=True):
        kind = "opinion" if kind == "complaint_like" else kind  # a grumble logged as an opinion
        fd, cs, om = office_staff[office.pk]
        unit = rng.choice(units_by_office[office.pk]) if rng.random() < 0.7 else None
        resident = residents.get(unit) if unit and rng.random() < 0.6 else None
        contact = "" if resident else rng.choice(["王先生", "李女士", "张阿姨", "刘先生", "业主", ""])
        phone = "" if resident or not contact else f"13{rng.randrange(10**9):09d}"
        text = entry_content(rng, kind, code)
        doc = docs.get(text)
        if doc is None:
            doc = docs[text] = search_document([text])
        category, hours = categories[code]
        age = ctx.end - received
        step = min(age / 4, datetime.timedelta(days=rng.uniform(0.05, 3)))
        spot = kind in ON_THE_SPOT and rng.random() < 0.6
        state = "closed" if spot else _weighted(rng, OLD_STATES if received < recent else NEW_STATES, 1)[0]
        dept = None
        if not spot and (state != "open" or rng.random() < 0.3):
            dept = rng.choice(departments[office.pk])
        if state == "open" and dept is not None:
            state = "in_progress"  # assigning moves an open entry on (entry_update)
        if state == "in_progress" and dept is None:
            dept = rng.choice(departments[office.pk])
        assigned = received + step * 0.3 if dept else None
        done = received + step * 2 if state in ("done", "closed") and not spot else None
        closed = received + (datetime.timedelta(minutes=rng.randrange(1, 15)) if spot else step * 3)
        closed = closed if state == "closed" else None
        action = "已当场答复" if spot else ("已安排处理" if dept else "")
        outcome = "已处理完毕" if done else ""
        due = due_of(received, hours) if kind == "service" else None
        event(received, "created", fd, "", "closed" if spot else "open")
        if spot:
            event(closed, "closed", fd, note=action)
        if dept:
            event(assigned, "assigned", cs, note=f"已派给{DEPT_NAMES.get(dept.kind, dept.name)}")
            event(assigned, "state", cs, "open", "in_progress")
        if done:
            event(done, "done", cs, "in_progress", "done", outcome)
        if closed and not spot:
            event(closed, "closed", om, "done", "closed", outcome)
        if due is not None:
            live = state in ("open", "in_progress")
            if live:
                dl_state, dl_closed = (DeadlineState.BREACHED if due <= ctx.end else DeadlineState.OPEN), None
            else:
                finished = done or closed
                dl_state, dl_closed = (DeadlineState.BREACHED if finished > due else DeadlineState.MET), finished
            warn = received + (due - received) * float(WARN_FRACTION)
            number = f"YJ{eid:07d}"
            rows_d.append(
                dl_t.row(
                    id=did,
                    office_id=office.pk,
                    company_id=made["company"].pk,
                    subject_type_id=ct.pk,
                    subject_id=eid,
                    rule=RULE_SERVICE,
                    title=(title % {"number": number})[:200],
                    params=RawJson(f'{{"number": "{number}"}}'),
                    basis_at=received,
                    measure=Measure.WORKING_HOURS,
                    amount=hours,
                    responsible_department_id=dept.pk if dept else None,
                    responsible_role="" if dept else Role.FRONT_DESK,
                    escalate_roles=escalate,
                    opened_at=received,
                    due_at=due,
                    warn_at=warn,
                    state=dl_state,
                    warned_at=warn if warn <= (dl_closed or ctx.end) else None,
                    breached_at=due if dl_state == DeadlineState.BREACHED else None,
                    closed_at=dl_closed,
                    link=f"/feedback/{eid}/",
                )
            )
            did += 1
        rows_e.append(
            en_t.row(
                id=eid,
                office_id=office.pk,
                channel=channel,
                kind=kind,
                category_id=category,
                community_id=unit_community[unit] if unit else None,
                unit_id=unit,
                resident_id=resident[0] if resident else None,
                contact_name=contact,
                contact_phone=phone,
                content=text,
                received_at=received,
                received_by_id=fd,
                action=action,
                outcome=outcome,
                state=state,
                department_id=dept.pk if dept else None,
                service_hours=hours if kind == "service" else None,
                due_at=due,
                done_at=done,
                closed_at=closed,
                search_text=doc,
                created_at=received,
                updated_at=closed or done or assigned or received,
            )
        )
        eid += 1
        if len(rows_e) >= CHUNK // 2:
            write(en_t, rows_e), write(ev_t, rows_v), write(dl_t, rows_d)
            rows_e.clear(), rows_v.clear(), rows_d.clear()
            ctx.log(f"register: {eid - 1:,} written")
    write(en_t, rows_e), write(ev_t, rows_v), write(dl_t, rows_d)
