"""F4: questionnaires designed by QA; a version in use is frozen; the default questionnaire."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from estates.models import Company, DepartmentKind, User

from ..models import Question, QuestionKind, Questionnaire, SurveySettings
from .core import QA_ROLES, require, require_role

# The default questionnaire (F4): code, text, responsible department (S17).
DEFAULT_ITEMS = [
    ("customer_service", "客户服务（前台接待、咨询、投诉处理）", DepartmentKind.CUSTOMER_SERVICE),
    ("security", "安全管理（门岗、巡逻、车辆出入）", DepartmentKind.SECURITY),
    ("cleaning", "清洁卫生（楼道、垃圾清运、公共区域）", DepartmentKind.CLEANING),
    ("greening", "绿化养护", DepartmentKind.CLEANING),
    ("repairs", "维修服务（及时性、质量、态度）", DepartmentKind.ENGINEERING),
    ("facilities", "公共设施设备（电梯、照明、门禁）", DepartmentKind.ENGINEERING),
    ("parking", "停车管理", DepartmentKind.SECURITY),
    ("fees", "收费透明度（物业费、公摊费用公示）", DepartmentKind.CUSTOMER_SERVICE),
    ("community", "社区文化活动", DepartmentKind.CUSTOMER_SERVICE),
]
DEFAULT_OPEN = [
    ("suggestions", "您对我们的服务还有哪些意见和建议？"),
]
DEFAULT_FAMILY = "default"


def settings_for(company: Company) -> SurveySettings:
    obj, _created = SurveySettings.objects.get_or_create(company=company)
    return obj


@transaction.atomic
def default_questionnaire(company: Company) -> Questionnaire:
    """The company's default questionnaire, made on first use (idempotent)."""
    found = Questionnaire.objects.filter(company=company, is_default=True).first()
    if found is not None:
        return found
    q = Questionnaire.objects.create(
        company=company,
        family=DEFAULT_FAMILY,
        version=1,
        title="顾客满意度调查表",
        introduction="尊敬的业主/住户：为了不断提高服务质量，请您对以下各项服务作出评价。谢谢您的支持！",
        is_default=True,
    )
    position = 1
    for code, text, dept in DEFAULT_ITEMS:
        Question.objects.create(questionnaire=q, position=position, code=code, text=text, department_kind=dept)
        position += 1
    for code, text in DEFAULT_OPEN:
        Question.objects.create(questionnaire=q, position=position, code=code, text=text, kind=QuestionKind.OPEN)
        position += 1
    return q


def questionnaire_freeze(questionnaire: Questionnaire) -> None:
    """A questionnaire in use is frozen (F4): called when a plan using it is approved."""
    if questionnaire.frozen_at is None:
        Questionnaire.objects.filter(pk=questionnaire.pk, frozen_at__isnull=True).update(frozen_at=timezone.now())
        questionnaire.refresh_from_db(fields=["frozen_at"])


@transaction.atomic
def questionnaire_new_version(*, questionnaire: Questionnaire, by: User) -> Questionnaire:
    """Changes to a frozen questionnaire make a new version: a copy, not frozen, same family."""
    require_role(by, QA_ROLES, _("Only QA designs questionnaires (F4)."))
    latest = (
        Questionnaire.objects.select_for_update()
        .filter(company=questionnaire.company, family=questionnaire.family)
        .order_by("-version")
        .first()
    )
    copy = Questionnaire.objects.create(
        company=questionnaire.company,
        family=questionnaire.family,
        version=latest.version + 1,
        title=questionnaire.title,
        introduction=questionnaire.introduction,
        created_by=by,
    )
    Question.objects.bulk_create(
        Question(
            questionnaire=copy,
            position=q.position,
            kind=q.kind,
            code=q.code,
            text=q.text,
            department_kind=q.department_kind,
        )
        for q in questionnaire.questions.all()
    )
    return copy


def question_save(*, question: Question, by: User, text: str, department_kind: str) -> Question:
    """Edit an item of a questionnaire not yet in use; a frozen one refuses (make a new version)."""
    require_role(by, QA_ROLES, _("Only QA designs questionnaires (F4)."))
    require(not question.questionnaire.frozen, _("This questionnaire is in use and frozen: make a new version."))
    question.text = text
    question.department_kind = department_kind
    question.full_clean()
    question.save(update_fields=["text", "department_kind"])
    return question


def question_add(
    *, questionnaire: Questionnaire, by: User, code: str, text: str, kind: str, department_kind: str = ""
) -> Question:
    require_role(by, QA_ROLES, _("Only QA designs questionnaires (F4)."))
    require(not questionnaire.frozen, _("This questionnaire is in use and frozen: make a new version."))
    last = questionnaire.questions.order_by("-position").values_list("position", flat=True).first() or 0
    question = Question(
        questionnaire=questionnaire, position=last + 1, code=code, text=text, kind=kind, department_kind=department_kind
    )
    question.full_clean()
    question.save()
    return question


def questionnaire_make_default(*, questionnaire: Questionnaire, by: User) -> None:
    require_role(by, QA_ROLES, _("Only QA designs questionnaires (F4)."))
    with transaction.atomic():
        Questionnaire.objects.filter(company=questionnaire.company, is_default=True).update(is_default=False)
        Questionnaire.objects.filter(pk=questionnaire.pk).update(is_default=True)
