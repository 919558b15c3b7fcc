"""Demo QA inspections for `seed_demo` (estates.demo.seed_all calls `seed(company)`).

The default standard; last month's check for each office (the first signed with findings, the others
in progress) and this month's (opened as beat would); a call-back sample with outcomes; repairs with
return visits; a service catalogue per office. Everything goes through the services, each step at its
own past moment. Idempotent: nothing is added when the company already has a check standard.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

from django.db import transaction
from django.utils import timezone

from estates.models import Company, Office, Role, Unit, User

from . import rules
from .models import CheckStandard, Item, Outcome
from .services import callbacks, catalogue, checks, repairs, standards
from .services.corrective import action_done, finding_with_action

SERVICES = [
    ("paid", "疏通下水道", Decimal("50"), "次", "接到报修后30分钟内到场"),
    ("paid", "更换水龙头（不含材料）", Decimal("30"), "个", "当日完成"),
    ("paid", "家电清洗", Decimal("80"), "台", "预约后24小时内上门"),
    ("convenience", "代收快递", None, "", "24小时可取"),
    ("convenience", "借用打气筒、梯子等工具", None, "", "前台随时可借"),
]
REPAIRS = [
    ("卫生间水龙头漏水", "王师傅"),
    ("门禁对讲无声", "李师傅"),
    ("楼道灯不亮", "王师傅"),
    ("厨房下水道堵塞", "陈师傅"),
    ("入户门锁松动", "李师傅"),
]


@contextmanager
def _at(moment: datetime.datetime):
    """Run the services as if it were `moment` (demo history only)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _user(company: Company, role: str, office: Office | None = None) -> User | None:
    users = User.objects.filter(company=company, role=role, is_active=True)
    if office is not None:
        users = users.filter(offices=office)
    return users.order_by("pk").first()


def _moment(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=rules.local_midnight(day).tzinfo)


@transaction.atomic
def seed(company: Company, now: datetime.datetime | None = None) -> int:
    """Returns how many checks were made (0 when the company already has a standard)."""
    if CheckStandard.objects.filter(company=company).exists():
        return 0
    qa = _user(company, Role.QA_STAFF)
    if qa is None:
        return 0
    now = now or timezone.now()
    this_month = rules.month_start(now.astimezone(rules.local_midnight(now.date()).tzinfo).date())
    last_month = rules.add_months(this_month, -1)
    with _at(_moment(last_month, 9)):
        standard = standards.default_standard_ensure(company=company, by=qa)
    offices = list(Office.objects.filter(company=company).order_by("pk"))
    made = 0
    for n, office in enumerate(offices):
        _seed_catalogue(office, qa)
        _seed_repairs(office, last_month, this_month, now)
        with _at(_moment(last_month + datetime.timedelta(days=25), 10)):
            check, created = checks.check_open(office=office, standard=standard, period_start=last_month)
            made += int(created)
        _score(check, qa, last_month, signed=n == 0)
    with _at(now):
        made += checks.checks_open_due(now=now)
    if offices:
        _seed_callbacks(offices[0], qa, last_month, this_month)
    return made


def _seed_catalogue(office: Office, qa: User) -> None:
    for order, (kind, name, price, unit, promise) in enumerate(SERVICES):
        catalogue.offering_save(
            office=office, by=qa, kind=kind, name=name, price=price, price_unit=unit, promise=promise, order=order
        )


def _seed_repairs(office: Office, last_month: datetime.date, this_month: datetime.date, now) -> None:
    clerk = _user(office.company, Role.CS_ASSISTANT, office) or _user(office.company, Role.FRONT_DESK, office)
    if clerk is None:
        return
    units = list(Unit.objects.filter(building__community__office=office).order_by("pk")[:10])
    for month, visit_all in ((last_month, True), (this_month, False)):
        made = []
        for n, (what, repairer) in enumerate(REPAIRS):
            day = month + datetime.timedelta(days=2 + 4 * n)
            if day >= now.date():
                break
            with _at(_moment(day, 16)):
                made.append(
                    repairs.repair_record_create(
                        office=office,
                        by=clerk,
                        unit=units[n % len(units)] if units else None,
                        what=what,
                        repairer=repairer,
                        done_on=day,
                    )
                )
        # The month's return visits, made together near its end (or now, for this month).
        visit_at = min(_moment(rules.add_months(month, 1) - datetime.timedelta(days=3), 10), now)
        with _at(visit_at):
            for n, record in enumerate(made):
                if visit_all or n % 2 == 0:
                    repairs.repair_visit_record(
                        repair=record,
                        by=clerk,
                        reached=n != 3,
                        attitude=5 - n % 2,
                        punctuality=4 + n % 2,
                        quality=5 - (n % 3 == 2),
                        note="师傅很耐心，修得很好" if n % 2 == 0 else "来得稍晚，但修好了",
                    )


def _score(check, qa: User, month: datetime.date, *, signed: bool) -> None:
    items = list(Item.objects.filter(section__version=check.version).order_by("section__order", "order"))
    at = _moment(month + datetime.timedelta(days=26), 14)
    with _at(at):
        for n, item in enumerate(items if signed else items[: len(items) // 2]):
            failed = n in (0, 4)
            checks.check_item_score(
                check=check,
                by=qa,
                item=item,
                outcome=Outcome.FAIL if failed else Outcome.PASS,
                deduction=item.points / 2 if failed else None,
                note="抽查发现3条登记缺少处理结果" if n == 0 else ("1件重要投诉未回访" if n == 4 else ""),
            )
        if not signed:
            return
        owner = _user(check.office.company, Role.CS_ASSISTANT, check.office) or _user(
            check.office.company, Role.OFFICE_MANAGER, check.office
        )
        made = []
        for item, text, evidence in (
            (items[0], "与顾客沟通登记表有3条缺少处理结果", "抽查3条来电登记，现场照片见附件"),
            (items[4], "一件重要投诉结案后未按要求回访", "投诉记录无回访记录"),
        ):
            finding = finding_with_action(
                check=check,
                by=qa,
                description=text,
                evidence=evidence,
                item=item,
                owner=owner,
                due_on=month + datetime.timedelta(days=40),
            )
            made.append(finding)
        checks.check_sign(check=check, by=qa, conclusion="登记和回访需加强，其余符合要求。")
    # The office has worked off the first action (awaiting QA's verification); the second is open.
    if owner is not None and made and made[0].corrective_action_id:
        with _at(at + datetime.timedelta(days=3)):
            action_done(finding=made[0], by=owner, done_note="已补全3条登记的处理结果，并对前台进行登记规范培训")


def _seed_callbacks(office: Office, qa: User, last_month: datetime.date, this_month: datetime.date) -> None:
    with _at(_moment(this_month + datetime.timedelta(days=1), 10)):
        sample = callbacks.sample_draw(office=office, month=last_month, by=qa)
        for n, item in enumerate(sample.items.order_by("kind", "order")[:6]):
            if n == 0:
                callbacks.callback_record(item=item, by=qa, reached=False, note="无人接听")
            elif n == 1 and item.kind != "resident":
                callbacks.callback_record(
                    item=item, by=qa, reached=True, handled=False, satisfied=False, note="住户说问题没有解决"
                )
            else:
                callbacks.callback_record(item=item, by=qa, reached=True, handled=True, satisfied=True, note="满意")
