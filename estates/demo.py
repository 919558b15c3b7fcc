"""The demo company (foundation issue, section 6), loaded by `python manage.py seed_demo`.

Idempotent: everything is looked up by its natural key and created only when absent, so a second run
changes nothing. Fake residents come from Faker (zh_CN) with a fixed seed, so the data is the same on
every machine.

Later apps add their own demo data with a module `<app>/demo.py` that defines `seed(company)`;
`seed_all()` calls them after this one, in INSTALLED_APPS order. Such a `seed` must be idempotent too.
"""

from __future__ import annotations

import datetime
import importlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import transaction

from .models import (
    Building,
    Community,
    Company,
    ContactPreference,
    Department,
    DepartmentKind,
    Office,
    Resident,
    Role,
    Unit,
    User,
)
from .services import staff_create, staff_sync_role_group

DEMO_PASSWORD = "tingjian-demo"  # noqa: S105 - published on purpose: demo logins only
COMPANY_NAME = "深圳市科信物业管理有限公司"
COMPANY_SHORT_NAME = "科信物业"
EMAIL_DOMAIN = "demo.tingjian.local"


@dataclass(frozen=True)
class DemoCommunity:
    office_code: str
    office_name: str
    office_phone: str
    name: str
    occupied_on: datetime.date
    buildings: int
    floors: int
    units_per_floor: int
    unoccupied: int  # units nobody lives in yet
    owner_absent: int  # owner lives elsewhere (S6: surveyed by phone or mail)
    seed: int


COMMUNITIES = [
    # 6 buildings × 20 floors × 5 units = 600 units, occupied 2016: the 15% sampling branch of S3.
    DemoCommunity(
        "kexin", "科信管理处", "0755-26001234", "科信小区", datetime.date(2016, 6, 18), 6, 20, 5, 12, 30, 2016
    ),
    # 4 buildings × 15 floors × 4 units = 240 units, occupied 2023: under 300 households (S3).
    DemoCommunity("cuihu", "翠湖管理处", "0755-26005678", "翠湖苑", datetime.date(2023, 9, 1), 4, 15, 4, 8, 10, 2023),
]

COMPANY_DEPARTMENTS = [
    (DepartmentKind.QA, "质管部"),
    (DepartmentKind.CUSTOMER_SERVICE, "客户服务中心"),
]
OFFICE_DEPARTMENTS = [
    (DepartmentKind.CUSTOMER_SERVICE, "客户服务部"),
    (DepartmentKind.SECURITY, "保安部"),
    (DepartmentKind.ENGINEERING, "工程部"),
    (DepartmentKind.CLEANING, "清洁绿化部"),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    display_name: str
    office_code: str | None  # None: a company-level role, sees every office
    department: tuple[str | None, str] | None  # (office code or None, department name)
    is_superuser: bool = False


USERS = [
    DemoUser("frontdesk", Role.FRONT_DESK, "前台 林晓燕", "kexin", ("kexin", "客户服务部")),
    DemoUser("frontdesk2", Role.FRONT_DESK, "前台 陈佳怡", "cuihu", ("cuihu", "客户服务部")),
    DemoUser("assistant", Role.CS_ASSISTANT, "客户事务助理 黄志强", "kexin", ("kexin", "客户服务部")),
    DemoUser("deptmanager", Role.DEPT_MANAGER, "客户服务部经理 周建华", "kexin", ("kexin", "客户服务部")),
    # Issue 9: 翠湖's customer service department has its own manager, who approves its C14 summaries.
    DemoUser("deptmanager2", Role.DEPT_MANAGER, "客户服务部经理 孙丽萍", "cuihu", ("cuihu", "客户服务部")),
    DemoUser("officemanager", Role.OFFICE_MANAGER, "管理处主任 吴国平", "kexin", None),
    DemoUser("qa", Role.QA_STAFF, "质管部专员 郑丽娟", None, (None, "质管部")),
    DemoUser("qamanager", Role.QA_MANAGER, "质管部经理 王海涛", None, (None, "质管部")),
    DemoUser("mgmtrep", Role.MGMT_REP, "管理者代表 李振华", None, None),
    DemoUser("assistantgm", Role.ASSISTANT_GM, "分管总经理助理 张明远", None, None),
    DemoUser("admin", Role.COMPANY_ADMIN, "公司管理员 刘洋", None, None, is_superuser=True),
]

_OFFICE_NAMES = {c.office_code: c.office_name for c in COMMUNITIES}

# (username, role label, office): what `make run` prints and the README lists. The role label is
# lazy, so it prints in the active language.
DEMO_LOGINS = [(u.username, u.role.label, _OFFICE_NAMES.get(u.office_code or "", "")) for u in USERS]


def _phone(rng: random.Random) -> str:
    return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))


def _seed_community(office: Office, spec: DemoCommunity) -> Community:
    from faker import Faker

    total = spec.buildings * spec.floors * spec.units_per_floor
    community, _created = Community.objects.get_or_create(
        office=office,
        name=spec.name,
        defaults={"occupied_on": spec.occupied_on, "households": total - spec.unoccupied, "standalone": True},
    )
    rng = random.Random(spec.seed)  # noqa: S311 - fake demo data, not security
    fake = Faker("zh_CN")
    fake.seed_instance(spec.seed)

    buildings = {b.name: b for b in Building.objects.filter(community=community)}
    missing = [Building(community=community, name=f"{n}栋") for n in range(1, spec.buildings + 1)]
    missing = [b for b in missing if b.name not in buildings]
    if missing:
        Building.objects.bulk_create(missing)
        buildings = {b.name: b for b in Building.objects.filter(community=community)}

    # Every unit's fate is drawn in a fixed order whatever already exists, so a partial earlier run
    # and a fresh run end with the same data.
    numbers = [
        (f"{b}栋", f"{floor}{unit:02d}", floor)
        for b in range(1, spec.buildings + 1)
        for floor in range(1, spec.floors + 1)
        for unit in range(1, spec.units_per_floor + 1)
    ]
    picks = rng.sample(range(total), spec.unoccupied + spec.owner_absent)
    unoccupied, absent = set(picks[: spec.unoccupied]), set(picks[spec.unoccupied :])
    existing = set(Unit.objects.filter(building__community=community).values_list("building__name", "number"))
    new_units = []
    residents_by_key: dict[tuple[str, str], list[Resident]] = {}
    for index, (building, number, floor) in enumerate(numbers):
        people = []
        if index not in unoccupied:
            count = 1 if index in absent else rng.choice([1, 1, 2, 2, 2, 3])
            for position in range(count):
                people.append(
                    Resident(
                        name=fake.name(),
                        phone=_phone(rng),
                        is_owner=position == 0,
                        preferred_contact=(
                            rng.choice([ContactPreference.PHONE, ContactPreference.MAIL])
                            if index in absent
                            else rng.choice(
                                [ContactPreference.PHONE] * 6 + [ContactPreference.SMS, ContactPreference.WECHAT]
                            )
                        ),
                    )
                )
        if (building, number) in existing:
            continue
        new_units.append(
            Unit(
                building=buildings[building],
                number=number,
                floor=floor,
                occupied=index not in unoccupied,
                owner_absent=index in absent,
            )
        )
        residents_by_key[(building, number)] = people
    if new_units:
        Unit.objects.bulk_create(new_units, batch_size=500)
        created = Unit.objects.filter(building__community=community).select_related("building")
        new_residents = []
        for unit in created:
            for resident in residents_by_key.get((unit.building.name, unit.number), []):
                resident.unit = unit
                new_residents.append(resident)
        Resident.objects.bulk_create(new_residents, batch_size=500)
    return community


def _department(company: Company, office: Office | None, kind: str, name: str) -> Department:
    department, _created = Department.objects.get_or_create(
        company=company, office=office, name=name, defaults={"kind": kind}
    )
    return department


@transaction.atomic
def seed() -> Company:
    """The demo company, its offices, communities, departments and one user for every role."""
    company, _created = Company.objects.get_or_create(name=COMPANY_NAME, defaults={"short_name": COMPANY_SHORT_NAME})
    offices: dict[str, Office] = {}
    departments: dict[tuple[str | None, str], Department] = {}
    for kind, name in COMPANY_DEPARTMENTS:
        departments[(None, name)] = _department(company, None, kind, name)
    for spec in COMMUNITIES:
        office, _created = Office.objects.get_or_create(
            company=company, code=spec.office_code, defaults={"name": spec.office_name, "phone": spec.office_phone}
        )
        offices[spec.office_code] = office
        for kind, name in OFFICE_DEPARTMENTS:
            departments[(spec.office_code, name)] = _department(company, office, kind, name)
        _seed_community(office, spec)
    for spec in USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is not None:
            # Never overwrite a user that exists (its password may have been changed); only make
            # sure it is in its role's group, which a fresh migrate may have recreated.
            if user.role:
                staff_sync_role_group(user=user, role=user.role)
            continue
        staff_create(
            username=spec.username,
            password=DEMO_PASSWORD,
            role=spec.role,
            company=company,
            offices=[offices[spec.office_code]] if spec.office_code else [],
            department=departments[spec.department] if spec.department else None,
            display_name=spec.display_name,
            email=f"{spec.username}@{EMAIL_DOMAIN}",
            is_staff=spec.is_superuser,
            is_superuser=spec.is_superuser,
            # The shared demo password resembles the demo e-mail domain, which the similarity
            # validator rejects; real staff go through the validators.
            check_password=False,
        )
    return company


# The "demo data" ribbon is read on every page: remembered per process for RIBBON_SECONDS, not queried
# per request (and not kept in the shared cache, which tests and operators may clear).
RIBBON_SECONDS = 300
_ribbon: dict = {"value": None, "until": 0.0}


def demo_present() -> bool:
    """The demo company is in the database: every page shows the "demo data" ribbon."""
    return Company.objects.filter(name=COMPANY_NAME).exists()


def demo_ribbon() -> bool:
    """demo_present(), at most one query per process and RIBBON_SECONDS."""
    now = time.monotonic()
    if _ribbon["value"] is None or now >= _ribbon["until"]:
        set_demo_ribbon(demo_present())
    return bool(_ribbon["value"])


def set_demo_ribbon(value: bool | None) -> None:
    """Remember (None: forget) whether the demo is loaded, for this process."""
    _ribbon.update(value=value, until=time.monotonic() + RIBBON_SECONDS)


def real_data_present() -> bool:
    """Anything that is not the demo company: another company, or a user the demo did not create.

    The demo (published password, a superuser) is loaded only into an empty database or one that holds
    nothing but the demo itself (hardening issue, operations).
    """
    demo_users = [u.username for u in USERS]
    return Company.objects.exclude(name=COMPANY_NAME).exists() or User.objects.exclude(username__in=demo_users).exists()


def app_seeders() -> list[tuple[str, Callable[[Company], object]]]:
    """`seed(company)` of every installed app's `demo` module, in INSTALLED_APPS order (estates excluded)."""
    found = []
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        # Only the project's own apps: third-party apps have no demo data to give.
        if config.name == "estates" or not Path(config.path).resolve().is_relative_to(base):
            continue
        module_name = f"{config.name}.demo"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            # Only "this app has no demo module" is skipped; an import error inside one surfaces.
            if exc.name == module_name:
                continue
            raise
        seed_app = getattr(module, "seed", None)
        if callable(seed_app):
            found.append((config.label, seed_app))
    return found


@transaction.atomic
def seed_all() -> Company:
    company = seed()
    for _label, seed_app in app_seeders():
        seed_app(company)
    set_demo_ribbon(True)
    return company
