"""What the office-isolation test (tests/test_office_isolation.py) needs to know about each URL
parameter (foundation issue, section 7).

That test walks every URL pattern of config.urls that takes a path parameter. For each one it makes
an object of office A, then:
- the OUTSIDER (the same role, in office B; for a company-wide role, in another company) gets 404 on
  GET and on POST, and no row of any table changes;
- the INSIDER (that role in office A; by default the front desk of office A) does NOT get 404, so the
  test cannot pass vacuously, and a GET by the insider changes nothing (changes need POST, STYLE.md 9).

HOW TO COVER YOUR APP'S URLS (a URL parameter that is in none of the tables below fails
test_every_url_parameter_is_registered, so a new app cannot forget):

1. Each path parameter name gets an entry in KWARGS, e.g. for ``<int:complaint_id>``::

       "complaint_id": OfficeObject(lambda ctx: ComplaintFactory(office=ctx.office_a)),

   A name used by several apps for different objects (``pk``) is registered per URL namespace:
   ``"complaints:pk": OfficeObject(...)`` applies to the ``complaints:`` URLs only and wins over a
   plain ``"pk"``. ``make(ctx)`` creates the object and returns it; ``value`` turns it into the URL value (default:
   its pk). ``ctx`` has the places (ctx.company, ctx.office_a, ctx.unit_a, ...), the insider
   (ctx.insider, a user of office A with the URL's role) and ``ctx.objects``: the objects already made
   for the URL's other parameters, by parameter name (parameters are made in URL order), so
   ``<int:survey_id>/units/<int:unit_id>/`` can make a unit that belongs to that survey. Use parameter
   names that say what they are (complaint_id, not pk): one name, one kind of object.
2. If the front desk may not open the URL, name the role that may in INSIDERS, by URL name:
   ``"complaints:classify": "officemanager"``. The role keys are those of ROLES below.
3. A parameter that is not an office object (a year, a date, a public answer token checked by its own
   signature) goes into NOT_OFFICE_OBJECTS with the reason. A URL whose parameters are all there is
   reported as skipped, never silently passed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.utils import timezone

from estates.models import Company, Office, Role, Unit, User

# Role keys used by INSIDERS; company-wide roles get their outsider from another company.
ROLES: dict[str, Role] = {
    "frontdesk": Role.FRONT_DESK,
    "assistant": Role.CS_ASSISTANT,
    "deptmanager": Role.DEPT_MANAGER,
    "officemanager": Role.OFFICE_MANAGER,
    "qa": Role.QA_STAFF,
    "qamanager": Role.QA_MANAGER,
    "mgmtrep": Role.MGMT_REP,
    "assistantgm": Role.ASSISTANT_GM,
    "admin": Role.COMPANY_ADMIN,
}


@dataclass
class Context:
    company: Company
    office_a: Office
    office_b: Office
    unit_a: Unit
    frontdesk_a: User
    insider: User
    outsider: User
    objects: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OfficeObject:
    make: Callable[[Context], Any]
    value: Callable[[Any], Any] = lambda obj: obj.pk


def _unit(ctx: Context) -> Model:
    from tests.factories import UnitFactory

    return UnitFactory(building__community__office=ctx.office_a)


def _notification(ctx: Context) -> Model:
    from clock.models import Notification

    # A notification belongs to its recipient, not to an office: the insider's own message.
    return Notification.objects.create(
        recipient=ctx.insider,
        key="isolation-test",
        title="投诉首次回复即将到期",
        body="",
        link="/",
        created_at=timezone.now() - datetime.timedelta(minutes=5),
    )


# Parameter name -> how to make an object of office A (or of the insider) for it.
KWARGS: dict[str, OfficeObject] = {
    "unit_id": OfficeObject(_unit),  # estates:unit_detail
    "notification_id": OfficeObject(_notification),  # web: notification_open
}

# URL name -> role key of the insider, where the front desk may not open the URL.
INSIDERS: dict[str, str] = {}

# Parameter name -> why it is not an office object (URLs with only such parameters are skipped).
NOT_OFFICE_OBJECTS: dict[str, str] = {}


def entry_for(url_name: str, param: str) -> OfficeObject | None:
    """The registry entry of a URL parameter: namespace-qualified first ("complaints:pk"), then plain."""
    namespace = url_name.rpartition(":")[0]
    while namespace:
        entry = KWARGS.get(f"{namespace}:{param}")
        if entry is not None:
            return entry
        namespace = namespace.rpartition(":")[0]
    return KWARGS.get(param)


def not_office_object(url_name: str, param: str) -> str | None:
    """Why a parameter is not an office object, if it is registered as such (same lookup order)."""
    namespace = url_name.rpartition(":")[0]
    while namespace:
        reason = NOT_OFFICE_OBJECTS.get(f"{namespace}:{param}")
        if reason is not None:
            return reason
        namespace = namespace.rpartition(":")[0]
    return NOT_OFFICE_OBJECTS.get(param)


# --- complaints ---------------------------------------------------------------------------------


def _complaint(ctx: Context) -> Model:
    from tests.factories import ComplaintFactory

    return ComplaintFactory(office=ctx.office_a, received_by=ctx.frontdesk_a)


def _complaint_attachment(ctx: Context) -> Model:
    from django.core.files.base import ContentFile

    from complaints.models import Attachment

    complaint = ctx.objects.get("complaint_id") or _complaint(ctx)
    attachment = Attachment(
        complaint=complaint,
        original_name="现场.png",
        content_type="image/png",
        size=12,
        uploaded_by=ctx.frontdesk_a,
        uploaded_at=timezone.now(),
    )
    attachment.file.save("现场.png", ContentFile(b"\x89PNG\r\n\x1a\nxxxx"), save=False)
    attachment.save()
    return attachment


KWARGS["complaint_id"] = OfficeObject(_complaint)  # complaints: detail, actions, records
KWARGS["attachment_id"] = OfficeObject(_complaint_attachment)  # complaints:attachment_download


# --- complaints: summaries (C14, C15) -------------------------------------------------------------


def _monthly_summary(ctx: Context) -> Model:
    """An approved (published) C14 summary of a department of office A: the front desk of A reads it."""
    from complaints.models import MonthlySummary, SummaryState
    from tests.factories import DepartmentFactory

    department = DepartmentFactory(company=ctx.company, office=ctx.office_a, name="工程部")
    return MonthlySummary.objects.create(
        company=ctx.company,
        office=ctx.office_a,
        department=department,
        month=datetime.date(2026, 1, 1),
        state=SummaryState.APPROVED,
        data={"totals": {"received": 1}, "rows": []},
        generated_at=timezone.now(),
        approved_by=ctx.frontdesk_a,
        approved_at=timezone.now(),
    )


def _quarterly_analysis(ctx: Context) -> Model:
    """A draft C15 analysis of the company: QA of the company reads it, QA of another company must not."""
    from complaints.models import QuarterlyAnalysis

    return QuarterlyAnalysis.objects.create(
        company=ctx.company, quarter=datetime.date(2026, 1, 1), data={"total": 0}, generated_at=timezone.now()
    )


KWARGS["summary_id"] = OfficeObject(_monthly_summary)  # complaints:summary_*
KWARGS["analysis_id"] = OfficeObject(_quarterly_analysis)  # complaints:analysis_*
INSIDERS.update({f"complaints:analysis_{name}": "qa" for name in ("detail", "refresh", "publish", "print", "export")})


# --- feedback (F1-F3) -------------------------------------------------------------------------------


def _feedback_entry(ctx: Context) -> Model:
    from feedback.models import Entry

    return Entry.objects.create(
        office=ctx.office_a,
        channel="phone",
        kind="opinion",
        content="电梯噪音大",
        received_at=timezone.now() - datetime.timedelta(minutes=5),
        received_by=ctx.frontdesk_a,
    )


def _feedback_outreach(ctx: Context) -> Model:
    from feedback.models import Outreach

    return Outreach.objects.create(
        office=ctx.office_a,
        kind="forum",
        held_at=timezone.now() - datetime.timedelta(days=1),
        households=12,
        created_by=ctx.frontdesk_a,
    )


def _feedback_archive(ctx: Context) -> Model:
    from feedback.models import MonthlyArchive

    return MonthlyArchive.objects.create(
        office=ctx.office_a, month=datetime.date(2026, 1, 1), data={"total": 0}, generated_at=timezone.now()
    )


def _feedback_action(ctx: Context) -> Model:
    from feedback.models import CorrectiveAction

    return CorrectiveAction.objects.create(
        office=ctx.office_a,
        title="报修响应慢",
        owner=ctx.frontdesk_a,
        due_on=timezone.localdate() + datetime.timedelta(days=10),
        created_by=ctx.frontdesk_a,
        created_at=timezone.now(),
    )


def _feedback_community(ctx: Context) -> Model:
    """A community of office A with its resident page (the QR code answers only for an open page)."""
    from feedback.models import ResidentPage

    community = ctx.unit_a.building.community
    ResidentPage.objects.get_or_create(community=community, defaults={"key": "isolation-page-key"})
    return community


KWARGS["entry_id"] = OfficeObject(_feedback_entry)  # feedback: detail, update, hand_over
KWARGS["outreach_id"] = OfficeObject(_feedback_outreach)  # feedback:outreach_*
KWARGS["archive_id"] = OfficeObject(_feedback_archive)  # feedback:archive_*
KWARGS["action_id"] = OfficeObject(_feedback_action)  # feedback:action_*
KWARGS["feedback:community_id"] = OfficeObject(_feedback_community)  # feedback:page_qr, page_renew
NOT_OFFICE_OBJECTS["feedback:page_key"] = "the public resident page of a community: open to anyone by design (F1)"
NOT_OFFICE_OBJECTS["feedback:token"] = "a private tracking token checked by its own hash (F1 resident page)"
INSIDERS.update({f"feedback:archive_{name}": "officemanager" for name in ("analysis", "refresh", "action_create")})


def _feedback_state_label(ctx: Context) -> Model:
    from feedback.models import StateLabel

    return StateLabel.objects.create(office=ctx.office_a, meaning="closed", label="已转交供电局")


KWARGS["label_id"] = OfficeObject(_feedback_state_label)  # feedback:label_retire
INSIDERS["feedback:label_retire"] = "officemanager"
NOT_OFFICE_OBJECTS["feedback:code"] = (
    "a category code of the user's own company (feedback:category_save scopes by company)"
)


# --- surveys (S1-S20) -----------------------------------------------------------------------------


def _survey_round(ctx: Context) -> Model:
    """A round of office A in hand-out and collection, with one answered unit (a dissatisfied item)."""
    from surveys.models import OpenLetter, RoundState, SurveyRound
    from surveys.services import default_questionnaire
    from tests.factories import UnitFactory

    unit = ctx.unit_a if ctx.unit_a.occupied else UnitFactory(building__community__office=ctx.office_a)
    survey_round = SurveyRound.objects.create(
        office=ctx.office_a,
        community=unit.building.community,
        year=2026,
        half=1,
        questionnaire=default_questionnaire(ctx.company),
        state=RoundState.FIELDWORK,
        purpose="了解满意度",
        targets="业主",
        content="服务",
        scope="抽样",
        schedule="三月",
        requirements="回访",
        author=ctx.frontdesk_a,
        policy="occupancy-age",
        required_size=1,
        seed="s",
        drawn_at=timezone.now(),
        forms_received_at=timezone.now(),
        closed_at=timezone.now(),
    )
    # Its open letter, a draft by the front desk of office A (the letter pages take the round's id).
    OpenLetter.objects.create(round=survey_round, title="公开信", body="正文", author=ctx.frontdesk_a)
    return survey_round


def _sample_unit(ctx: Context) -> Model:
    from surveys.models import SampleUnit

    survey_round = ctx.objects.get("round_id") or _survey_round(ctx)  # made first: URL order
    unit = survey_round.community.buildings.first().units.first()
    return SampleUnit.objects.get_or_create(round=survey_round, unit=unit, defaults={"building": unit.building})[0]


def _answered(ctx: Context):
    from surveys.models import Answer, Response

    su = _sample_unit(ctx)
    response, _created = Response.objects.get_or_create(
        sample_unit=su, defaults={"channel": "online", "submitted_at": timezone.now()}
    )
    question = su.round.questionnaire.questions.first()
    answer, _created = Answer.objects.get_or_create(response=response, question=question, defaults={"level": 4})
    return su, answer


def _promise(ctx: Context) -> Model:
    from surveys.models import OpenLetter, OpenLetterPromise

    letter = _survey_round(ctx).letter
    letter.state = OpenLetter.State.APPROVED
    letter.save()
    return OpenLetterPromise.objects.create(letter=letter, position=1, text="一个月内修复路灯")


def _return_visit(ctx: Context) -> Model:
    from surveys.models import ReturnVisit

    su, answer = _answered(ctx)
    return ReturnVisit.objects.create(round=su.round, sample_unit=su, question=answer.question, answer=answer)


# Namespaced: inspections names its own callback sample `sample_id` too.
KWARGS["surveys:round_id"] = OfficeObject(_survey_round)  # surveys: round pages, actions, sample, entry, letter
KWARGS["surveys:sample_id"] = OfficeObject(_sample_unit)  # surveys: swap, check, entry
KWARGS["surveys:promise_id"] = OfficeObject(_promise)  # surveys:promise_update
KWARGS["surveys:visit_id"] = OfficeObject(_return_visit)  # surveys:return_visit_record
NOT_OFFICE_OBJECTS.update(
    {
        "surveys:questionnaire_id": "a company-level questionnaire (F4): scoped by company, tested in tests/surveys",
        "surveys_public:token": "a resident's random answer link, no account: unknown, closed and used answer alike",
        "surveys_public:public_token": "a public results page for the notice board (S19): no personal data",
    }
)


# --- inspections (Q1-Q5) -------------------------------------------------------------------------


def _inspection_standard(ctx: Context) -> Model:
    from inspections.services.standards import default_standard_ensure

    return default_standard_ensure(company=ctx.company)


def _inspection_check(ctx: Context) -> Model:
    from inspections.services.checks import check_open

    standard = _inspection_standard(ctx)
    return check_open(office=ctx.office_a, standard=standard, period_start=timezone.localdate().replace(day=1))[0]


def _callback_sample(ctx: Context) -> Model:
    from inspections.models import CallbackSample

    return CallbackSample.objects.create(
        office=ctx.office_a, month=datetime.date(2026, 1, 1), seed="x", drawn_at=timezone.now(), drawn_by=ctx.insider
    )


def _callback_item(ctx: Context) -> Model:
    from inspections.models import CallbackItem
    from tests.factories import ResidentFactory

    sample = ctx.objects.get("callback_sample_id") or _callback_sample(ctx)
    return CallbackItem.objects.create(sample=sample, kind="resident", resident=ResidentFactory(unit=ctx.unit_a))


def _repair(ctx: Context) -> Model:
    from inspections.models import RepairRecord

    return RepairRecord.objects.create(
        office=ctx.office_a,
        what="更换水龙头",
        repairer="王师傅",
        done_on=timezone.localdate(),
        created_at=timezone.now(),
        created_by=ctx.frontdesk_a,
    )


def _offering(ctx: Context) -> Model:
    from inspections.models import ServiceOffering

    return ServiceOffering.objects.create(office=ctx.office_a, kind="paid", name="疏通下水道", promise="30分钟内响应")


KWARGS["check_id"] = OfficeObject(_inspection_check)  # inspections:check_*
KWARGS["standard_id"] = OfficeObject(_inspection_standard)  # inspections:standard_* (company-scoped)
KWARGS["callback_sample_id"] = OfficeObject(_callback_sample)  # inspections:sample_detail
KWARGS["callback_id"] = OfficeObject(_callback_item)  # inspections:callback_record
KWARGS["repair_id"] = OfficeObject(_repair)  # inspections:repair_visit
KWARGS["offering_id"] = OfficeObject(_offering)  # inspections:offering_edit
KWARGS["community_id"] = OfficeObject(lambda ctx: ctx.unit_a.building.community)  # inspections:community_*
NOT_OFFICE_OBJECTS["inspections:token"] = "the public service page's token (Q5, no login), checked by its own signature"
# QA's own pages: the front desk gets 403 there before any lookup, so QA is the insider.
INSIDERS.update(
    {
        f"inspections:{name}": "qa"
        for name in (
            "check_refresh",
            "check_score_item",
            "check_add_finding",
            "check_promise",
            "check_sign",
            "check_letter_promise",
            "standard_detail",
            "standard_item_save",
            "standard_item_remove",
            "standard_section_save",
            "standard_pass_mark",
            "standard_active",
            "sample_detail",
            "callback_record",
        )
    }
)
INSIDERS["inspections:offering_edit"] = "assistant"


def _inspection_finding(ctx: Context) -> Model:
    from inspections.models import Finding

    check = _inspection_check(ctx)
    return Finding.objects.create(
        check_run=check,
        description="登记表缺少处理结果",
        created_at=timezone.now(),
        created_by=ctx.insider,
    )


KWARGS["finding_id"] = OfficeObject(_inspection_finding)  # inspections:finding_action_*
INSIDERS.update({f"inspections:finding_action_{name}": "qa" for name in ("set", "verify", "send_back")})


def _finding_photo(ctx: Context) -> Model:
    from django.core.files.base import ContentFile

    from inspections.models import FindingPhoto

    photo = FindingPhoto(
        finding=_inspection_finding(ctx),
        original_name="现场.png",
        content_type="image/png",
        size=12,
        uploaded_at=timezone.now(),
        uploaded_by=ctx.insider,
    )
    photo.file.save("现场.png", ContentFile(b"\x89PNG\r\n\x1a\nxxxx"), save=False)
    photo.save()
    return photo


KWARGS["photo_id"] = OfficeObject(_finding_photo)  # inspections:finding_photo
INSIDERS["inspections:finding_photo_add"] = "qa"


# --- exports (issue 10) ------------------------------------------------------------------------------


def _export_job(ctx: Context) -> Model:
    """A built background export belongs to the user who asked, not to an office: the insider's own."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from exports.models import ExportJob, ExportState
    from exports.services import storage_name

    job = ExportJob.objects.create(
        user=ctx.insider,
        kind="complaints.work_log",
        fingerprint="isolation-test",
        state=ExportState.DONE,
        filename="工作信息记录本.xlsx",
        created_at=timezone.now(),
    )
    job.file = default_storage.save(storage_name(job), ContentFile(b"PK\x05\x06" + b"\0" * 18))
    job.save(update_fields=["file"])
    return job


KWARGS["exports:token"] = OfficeObject(_export_job, value=lambda job: job.token)  # exports:download
