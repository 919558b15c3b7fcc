"""Demo complaints for `seed_demo` (estates.demo.seed_all calls `seed(company)`).

A few months of complaints in every state and class: some overdue, some with the management
representative, some handed to the developer. Everything goes through the services, each step at its
own past moment, so timelines, numbers and clock deadlines are what real use would have made.
Idempotent: nothing is added when the company already has complaints.

Then the summaries (C14, C15), also idempotent: last month's summaries awaiting the department
manager's approval, the month before approved and published where the department has a manager, and
the last finished quarter's analysis (published by QA when the demo data covers the whole quarter,
otherwise a draft).
"""

from __future__ import annotations

import datetime
import random
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

from django.db import transaction
from django.utils import timezone

from estates.models import Company, Department, DepartmentKind, Resident, Role, User

from . import services
from .models import Complaint

# (category, class, what the resident said)
TEXTS = [
    ("repairs", 1, "卫生间漏水报修三天了还没人来处理，楼下邻居也在投诉。"),
    ("repairs", 1, "报修的门禁对讲坏了一周，维修师傅说等配件就没下文了。"),
    ("attitude", 1, "前台工作人员态度很差，问两句就不耐烦。"),
    ("cleaning", 1, "楼道垃圾两天没人清理，味道很大。"),
    ("security", 1, "晚上保安不在岗，外来车辆随便进出。"),
    ("charges", 1, "物业费账单多收了一个月的公摊电费，要求解释。"),
    ("parking", 1, "地下车库车位被别人长期占用，管理处不处理。"),
    ("building", 2, "外墙渗水，客厅墙面发霉，入住才两年。"),
    ("building", 2, "窗户密封条老化，下雨时窗台进水。"),
    ("building", 2, "地下室墙面开裂，担心结构安全。"),
    ("facilities", 3, "小区门口市政路灯坏了很久，晚上很黑。"),
    ("noise", 3, "小区外工地夜间施工，噪音影响休息。"),
    ("other", 3, "公交站改到很远，希望管理处向有关部门反映。"),
    ("facilities", 1, "儿童游乐设施螺丝松动，有安全隐患。"),
    ("noise", 1, "楼上装修超时施工，管理处没有制止。"),
]

CHANNELS = ["phone"] * 6 + ["visit"] * 4 + ["online", "email", "letter", "survey"]


@contextmanager
def _at(moment: datetime.datetime):
    """Run the services as if it were `moment` (demo history only; the real code reads
    timezone.now(), which is what we move)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _working_moment(rng: random.Random, day: datetime.date) -> datetime.datetime:
    hour = rng.choice([9, 10, 11, 13, 14, 15, 16, 17, 19, 20])
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, rng.randrange(0, 60))))


def _role(company: Company, role: str, office=None) -> User | None:
    users = User.objects.filter(company=company, role=role, is_active=True)
    if office is not None and role not in (Role.QA_STAFF, Role.QA_MANAGER, Role.MGMT_REP, Role.ASSISTANT_GM):
        users = users.filter(offices=office)
    return users.order_by("pk").first()


def _department(office, kind: str) -> Department | None:
    return Department.objects.filter(office=office, kind=kind).first()


def seed(company: Company) -> int:
    """Create the demo complaints of `company`, then its summaries; returns how many complaints
    were made (0 when already there)."""
    made = _seed_complaints(company)
    seed_summaries(company)
    return made


def seed_summaries(company: Company, now: datetime.datetime | None = None) -> None:
    """C14/C15 demo data through the services, each step at its own past moment."""
    from . import rules
    from .models import AnalysisState, SummaryState
    from .reports import quarterly as report_quarterly
    from .reports import services as report_services

    now = now or timezone.now()
    last = rules.last_finished_month(now)
    earlier = rules.previous_month(last)
    with transaction.atomic():
        # The month before last: generated on its 1st, approved on the 3rd by each department's manager.
        generated = rules.month_bounds(earlier)[1] + datetime.timedelta(hours=8)
        with _at(generated):
            for department in report_services.departments_due(earlier):
                manager = report_services.department_manager(department)
                if department.company_id != company.pk or manager is None:
                    continue
                summary, _created = report_services.monthly_summary_generate(
                    department=department, month=earlier, now=generated
                )
                if summary.state == SummaryState.DRAFT:
                    with _at(generated + datetime.timedelta(days=2, hours=2)):
                        report_services.monthly_summary_approve(summary=summary, by=manager, note="已核对，同意发布。")
        # Last month: drafts awaiting approval (what the hourly job makes on the 1st).
        generated = min(rules.month_bounds(last)[1] + datetime.timedelta(hours=1), now)
        with _at(generated):
            for department in report_services.departments_due(last):
                if department.company_id == company.pk:
                    report_services.monthly_summary_generate(department=department, month=last, now=generated)

        # The last finished quarter: QA's analysis, published if the demo data covers the quarter.
        quarter = rules.last_finished_quarter(now)
        start, end = rules.quarter_bounds(quarter)
        generated = min(end + datetime.timedelta(hours=1), now)
        with _at(generated):
            analysis, _created = report_quarterly.quarterly_analysis_generate(
                company=company, quarter=quarter, now=generated
            )
        first = Complaint.objects.filter(office__company=company).order_by("received_at").first()
        qa = _role(company, Role.QA_MANAGER) or _role(company, Role.QA_STAFF)
        covered = first is not None and first.received_at <= start + datetime.timedelta(days=7)
        if analysis.state == AnalysisState.DRAFT and covered and qa is not None:
            with _at(min(end + datetime.timedelta(days=10), now - datetime.timedelta(hours=1))):
                report_quarterly.quarterly_analysis_publish(
                    analysis=analysis,
                    by=qa,
                    conclusions=(
                        "本季度报修类投诉仍居首位，主要集中在维修响应不及时；"
                        "请各管理处落实报修当日上门，质管部将在月检中抽查。"
                    ),
                )


def _seed_complaints(company: Company) -> int:
    if Complaint.objects.filter(office__company=company).exists():
        return 0
    rng = random.Random(2026)
    now = timezone.now()
    offices = list(company.offices.order_by("pk"))
    if not offices:
        return 0
    made = 0
    with transaction.atomic():
        for office in offices:
            residents = list(
                Resident.objects.filter(unit__building__community__office=office).select_related("unit")[:300]
            )
            frontdesk = _role(company, Role.FRONT_DESK, office) or _role(company, Role.QA_STAFF)
            cs = _role(company, Role.CS_ASSISTANT, office) or frontdesk
            manager = (
                _role(company, Role.DEPT_MANAGER, office)
                or _role(company, Role.OFFICE_MANAGER, office)
                or _role(company, Role.QA_MANAGER)
            )
            qa = _role(company, Role.QA_STAFF) or _role(company, Role.QA_MANAGER)
            qa_manager = _role(company, Role.QA_MANAGER) or qa
            if frontdesk is None or qa is None:
                continue
            engineering = _department(office, DepartmentKind.ENGINEERING)
            customer_service = _department(office, DepartmentKind.CUSTOMER_SERVICE)
            plan = (
                ["closed"] * 14
                + ["invalid", "reopened", "awaiting_rv", "awaiting_rv", "result_told", "developer", "mr"]
                + ["in_handling", "in_handling", "forwarded", "responded", "received", "overdue", "overdue"]
                + ["c9", "c10"]
            )
            for index, stage in enumerate(plan):
                if stage in ("received", "overdue", "responded", "forwarded", "c10"):
                    days_ago = rng.randint(0, 2) if stage == "received" else rng.randint(2, 6)
                elif stage in ("in_handling", "result_told", "awaiting_rv", "c9", "mr", "developer"):
                    days_ago = rng.randint(3, 20)
                else:
                    days_ago = rng.randint(10, 110)
                received = _working_moment(rng, (now - datetime.timedelta(days=days_ago)).date())
                if received >= now:
                    received = now - datetime.timedelta(hours=1 + index)
                category, cls, text = rng.choice(TEXTS)
                resident = rng.choice(residents) if residents and rng.random() < 0.85 else None
                channel = rng.choice(CHANNELS)
                if stage == "c9":
                    channel = rng.choice(["company", "government"])
                elif stage == "c10":
                    channel = "cs_centre"
                step = received

                def later(hours: float) -> datetime.datetime:
                    nonlocal step
                    step = min(step + datetime.timedelta(hours=hours), now - datetime.timedelta(minutes=5))
                    return step

                with _at(received):
                    c = services.complaint_create(
                        office=office,
                        received_by=frontdesk,
                        channel=channel,
                        content=text,
                        received_at=received,
                        resident=resident,
                        contact_name="" if resident else rng.choice(["陈先生", "刘女士", "匿名业主"]),
                        contact_phone="" if resident else f"1{rng.randint(3000000000, 8999999999)}",
                    )
                made += 1
                if stage in ("received", "overdue", "c9", "c10"):
                    continue
                with _at(later(rng.uniform(0.5, 6))):
                    c = services.complaint_respond(
                        complaint=c, by=cs, how="call", note="已向业主致歉并感谢反映，承诺尽快答复。"
                    )
                important = rng.random() < 0.2
                with _at(later(1)):
                    c = services.complaint_classify(
                        complaint=c,
                        by=qa,
                        complaint_class=cls,
                        category=category,
                        important=important,
                        difficult=stage == "mr",
                    )
                if stage == "responded":
                    continue
                if stage == "invalid":
                    with _at(later(3)):
                        services.complaint_mark_invalid(
                            complaint=c,
                            by=manager,
                            explanation="该事项不属于物业服务范围，已耐心向业主解释并告知相关部门电话。",
                        )
                    continue
                if stage == "forwarded" and engineering is not None:
                    with _at(later(2)):
                        services.complaint_forward(complaint=c, by=qa, department=engineering, note="请工程部处理")
                    continue
                with _at(later(2)):
                    c = services.complaint_set_handling(
                        complaint=c,
                        by=qa_manager if stage == "mr" else manager,
                        opinion="安排专人跟进，当天上门查看。",
                        handler=cs,
                        department=engineering if cls == 2 else customer_service,
                    )
                if cls == 2 and rng.random() < 0.7:
                    with _at(later(4)):
                        services.record_f2_save(
                            complaint=c,
                            by=cs,
                            problem=text,
                            location="业主室内",
                            cause="施工质量",
                            measures="报地产公司",
                        )
                if stage == "developer":
                    with _at(later(5)):
                        c = services.complaint_hand_to_developer(
                            complaint=c,
                            by=manager,
                            sent_what="投诉记录、现场照片及业主赔偿要求",
                            compensation_amount=Decimal(rng.choice([6800, 12000, 800])),
                            developer_involved=True,
                        )
                    continue
                if stage == "mr":
                    with _at(later(24)):
                        services.complaint_escalate_to_mr(complaint=c, by=manager, reason="涉及多个部门，协调未果。")
                    continue
                if stage == "in_handling":
                    continue
                with _at(later(rng.uniform(4, 48))):
                    c = services.complaint_tell_result(complaint=c, by=cs, result="已处理完毕，业主表示认可。")
                if stage == "result_told":
                    continue
                with _at(later(2)):
                    c = services.complaint_decide_return_visit(
                        complaint=c, by=qa, required=important or stage != "closed" or rng.random() < 0.6
                    )
                if stage == "awaiting_rv" or c.state != "awaiting_rv":
                    continue
                if stage == "reopened":
                    with _at(later(24)):
                        services.complaint_record_return_visit(complaint=c, by=qa, satisfied=False, note="问题复发")
                    continue
                with _at(later(rng.uniform(24, 72))):
                    services.complaint_record_return_visit(complaint=c, by=qa, satisfied=True, note="业主满意")
    return made
