"""Demo register for `seed_demo` (estates.demo.seed_all calls `seed(company)` after the complaints).

A few months of register entries of every kind and channel through the services, each at its own
past moment: some open, some overdue service requests, some from the resident page with tracking
links; the complaints already seeded mirrored into the register; a resident page per community; one
forum with its opinions and record; last month's archive awaiting approval with its analysis and two
corrective actions. Idempotent: nothing is added when the company already has register entries of
its own (not mirrored).
"""

from __future__ import annotations

import datetime
import logging
import random
import uuid
from contextlib import contextmanager
from unittest import mock

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from estates.models import Community, Company, DepartmentKind, Resident, Role, User

from . import services
from .models import Entry
from .rules import State, last_finished_month, month_bounds
from .services.public import page_for, public_submit

logger = logging.getLogger(__name__)

# (kind, category, channel, what was said)
TEXTS = [
    ("opinion", "cleaning", "phone", "楼道保洁不够及时，周末垃圾堆到下午才清。"),
    ("opinion", "greening", "visit", "中心花园的草坪很久没修剪了。"),
    ("suggestion", "parking", "visit", "建议在东门增设临时停车位，方便访客。"),
    ("suggestion", "facilities", "letter", "希望在小区里增加几处休息座椅。"),
    ("service", "repairs", "phone", "厨房水龙头漏水，请派人维修。"),
    ("service", "repairs", "phone", "家里跳闸，整屋断电，急需电工。"),
    ("service", "facilities", "visit", "单元门禁刷卡没反应。"),
    ("service", "cleaning", "phone", "楼顶天台有建筑垃圾，请安排清运。"),
    ("enquiry", "fees", "phone", "物业费可以按季度交吗？"),
    ("enquiry", "customer_service", "visit", "装修需要办理哪些手续？"),
    ("praise", "security", "letter", "感谢夜班保安帮忙找回走失的孩子。"),
    ("praise", "repairs", "email", "维修师傅上门及时，态度很好。"),
    ("opinion", "neighbours", "phone", "楼上邻居晚上经常很吵。"),
    ("opinion", "security", "email", "外来人员进出登记不严格。"),
    ("suggestion", "customer_service", "other", "希望开通微信报修。"),
]
ONLINE_TEXTS = [
    ("service", "电梯按钮失灵，按了没有反应。"),
    ("opinion", "地下车库灯光太暗，晚上停车不方便。"),
    ("complaint", "报修三次都没人来，非常不满意。"),
]


@contextmanager
def _at(moment: datetime.datetime):
    """Run the services as if it were `moment` (demo history only)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _user(company: Company, role: str, office=None) -> User | None:
    users = User.objects.filter(company=company, role=role, is_active=True)
    if office is not None:
        users = users.filter(offices=office)
    return users.order_by("pk").first()


def _moment(rng: random.Random, now: datetime.datetime, days_ago: int) -> datetime.datetime:
    day = (now - datetime.timedelta(days=days_ago)).date()
    moment = timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(rng.choice([9, 10, 11, 14, 15, 16]), rng.randrange(60)))
    )
    return min(moment, now - datetime.timedelta(hours=2))


def seed(company: Company) -> int:
    """Create the demo register of `company`; returns how many entries were made (0 when there)."""
    services.mirror_complaints(full=True)
    if Entry.objects.filter(office__company=company, complaint__isnull=True).exists():
        return 0
    rng = random.Random(11)
    now = timezone.now()
    made = 0
    with transaction.atomic():
        for office in company.offices.order_by("pk"):
            frontdesk = _user(company, Role.FRONT_DESK, office)
            if frontdesk is None:
                continue
            residents = list(Resident.objects.filter(unit__building__community__office=office)[:200])
            engineering = office.departments.filter(kind=DepartmentKind.ENGINEERING).first()
            made += _entries(office, frontdesk, residents, engineering, rng, now)
            made += _online(office, frontdesk, rng, now)
            _forum(office, frontdesk, residents, rng, now)
            _archive(company, office, now)
    return made


def _entries(office, frontdesk, residents, engineering, rng, now) -> int:
    made = 0
    for index in range(45):
        kind, category, channel, text = TEXTS[index % len(TEXTS)]
        days_ago = rng.randint(0, 95)
        received = _moment(rng, now, days_ago)
        resident = rng.choice(residents) if residents and rng.random() < 0.8 else None
        with _at(received):
            entry = services.entry_create(
                office=office,
                by=frontdesk,
                channel=channel,
                kind=kind,
                category=category,
                content=text,
                received_at=received,
                resident=resident,
                contact_name="" if resident else "业主",
                contact_phone="" if resident else f"1390000{index:04d}",
                answered_on_the_spot=kind == "enquiry",
                action="已当场答复。" if kind == "enquiry" else "",
                department=engineering if kind == "service" else None,
            )
        made += 1
        # Older ones were handled; the newest stay open (a few service requests go overdue).
        if entry.state != State.CLOSED and days_ago > 6:
            with _at(received + datetime.timedelta(hours=rng.randint(2, 30))):
                services.entry_update(
                    entry=entry,
                    by=frontdesk,
                    state=State.CLOSED,
                    action="已转相关部门处理并回访。",
                    outcome="已处理完毕，业主表示满意。",
                )
    return made


def _online(office, frontdesk, rng, now) -> int:
    made = 0
    for community in Community.objects.filter(office=office).order_by("pk"):
        page = page_for(community)
        for index, (kind, text) in enumerate(ONLINE_TEXTS):
            received = _moment(rng, now, 1 + index * 3)
            form_token = uuid.uuid5(uuid.NAMESPACE_URL, f"tingjian-demo:{community.pk}:{index}")
            with _at(received):
                submission = public_submit(
                    page=page,
                    kind=kind,
                    content=f"{text}（{community.name}）",
                    contact_phone=f"1370000{community.pk % 100:02d}{index:02d}",
                    contact_name="网上留言业主",
                    address=f"demo-{community.pk}",
                    form_token=form_token,
                    throttle=False,
                )
            made += 1
            url = settings.SITE_URL + reverse("feedback:tracking", args=[submission.token])
            logger.info("demo tracking link: %s", url)
            if index == 0:
                # The office answered and marked it done: the resident is asked "solved?".
                with _at(received + datetime.timedelta(hours=3)):
                    services.entry_update(
                        entry=submission.entry,
                        by=frontdesk,
                        state=State.DONE,
                        action="已派维修工更换按钮。",
                        outcome="电梯按钮已更换。",
                        reply="您好，电梯按钮已更换，请确认是否恢复正常。",
                    )
    return made


def _forum(office, frontdesk, residents, rng, now) -> None:
    community = Community.objects.filter(office=office).order_by("pk").first()
    if community is None:
        return
    held = _moment(rng, now, 20)
    with _at(held - datetime.timedelta(days=3)):
        forum = services.outreach_create(
            office=office,
            by=frontdesk,
            kind="forum",
            held_at=held,
            community=community,
            place="会所多功能厅",
            households=16,
            staff="管理处主任、客服部经理、工程主管",
        )
    with _at(held + datetime.timedelta(hours=2)):
        for kind, category, text in (
            ("suggestion", "parking", "希望规划电动车充电区域。"),
            ("opinion", "greening", "绿化带杂草多，需要加强养护。"),
            ("opinion", "security", "晚上巡逻次数偏少。"),
        ):
            services.outreach_add_opinion(event=forum, by=frontdesk, kind=kind, category=category, content=text)
        services.outreach_close(
            event=forum,
            by=frontdesk,
            record="到会业主16户。主要意见：充电区域、绿化养护、夜间巡逻。管理处承诺一个月内答复。",
        )


def _archive(company, office, now) -> None:
    """Last month's archive: drafted after the month, analysed, two corrective actions, awaiting the
    office manager's approval."""
    month = last_finished_month(now)
    generated = min(month_bounds(month)[1] + datetime.timedelta(hours=1), now)
    with _at(generated):
        archive, created = services.archive_generate(office=office, month=month)
    if not created:
        return
    cs = _user(company, Role.CS_ASSISTANT, office) or _user(company, Role.FRONT_DESK, office)
    manager = _user(company, Role.OFFICE_MANAGER, office) or cs
    if cs is None or manager is None:
        return
    with _at(generated + datetime.timedelta(days=1)):
        services.archive_save_analysis(
            archive=archive,
            by=cs,
            analysis="本月维修类意见占比最高，主要是报修响应慢、配件等待时间长；其次是保洁不及时。",
            meeting_note="已在月度工作例会上讨论。",
        )
        due = timezone.localtime(now).date() + datetime.timedelta(days=10)
        services.action_create(
            office=office,
            by=manager,
            archive=archive,
            title="报修响应慢",
            description="常用配件建立库存；报修当日上门。",
            owner=cs,
            due_on=due,
        )
        services.action_create(
            office=office,
            by=manager,
            archive=archive,
            title="周末保洁不及时",
            description="调整保洁排班，周末增加一人。",
            owner=manager,
            due_on=due,
        )
