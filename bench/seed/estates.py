"""Seed stage 1: one company, its offices (a few busy ones: Zipf-like weights), communities,
buildings, units and residents, departments and one staff member per role (logins b<seed>_<role>, b<seed>_fd<n>, …)."""

from __future__ import annotations

import datetime

from django.contrib.auth.hashers import make_password

from estates.models import (
    Building,
    Community,
    Company,
    Department,
    DepartmentKind,
    Office,
    Resident,
    Role,
    Unit,
    User,
)
from estates.services import staff_sync_role_group

from .context import Context
from .writer import Template, next_id, reset_sequences, write

PASSWORD = "tingjian-bench"  # noqa: S105 - the bench logins of a throwaway data set
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红娥玲芬建国志明海燕雪梅"
PLACES = "翠湖 锦绣 花园 阳光 金色 碧水 枫林 星河 海景 紫荆 滨江 龙湾 御景 雅苑 书香 丽都 天悦 东方 南山 西岸".split()
DEPARTMENTS = [
    (DepartmentKind.CUSTOMER_SERVICE, "客户服务部"),
    (DepartmentKind.ENGINEERING, "工程部"),
    (DepartmentKind.SECURITY, "保安部"),
    (DepartmentKind.CLEANING, "环境部"),
]


def office_weights(n: int) -> list[float]:
    """A few busy offices: weight 1/rank^0.8."""
    return [1 / (rank**0.8) for rank in range(1, n + 1)]


def _person(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _users(ctx: Context, company: Company, offices: list[Office], departments: dict) -> dict[str, list[int]]:
    password = make_password(PASSWORD)  # once: hashing per user would take minutes
    made: dict[str, list[int]] = {}

    def user(username: str, role: str, offices_=(), department=None) -> User:
        u = User.objects.create(
            username=username,
            role=role,
            company=company,
            department=department,
            display_name=username,
            password=password,
        )
        if offices_:
            u.offices.set(offices_)
        staff_sync_role_group(user=u, role=role)
        made.setdefault(role, []).append(u.pk)
        return u

    for role in (Role.QA_STAFF, Role.QA_MANAGER, Role.ASSISTANT_GM, Role.MGMT_REP, Role.COMPANY_ADMIN):
        user(f"b{ctx.seed}_{role}", role)
    for i, office in enumerate(offices, 1):
        user(f"b{ctx.seed}_fd{i}", Role.FRONT_DESK, [office])
        user(f"b{ctx.seed}_cs{i}", Role.CS_ASSISTANT, [office])
        for dept in departments[office.pk]:
            user(f"b{ctx.seed}_dm{i}_{dept.kind}", Role.DEPT_MANAGER, [office], dept)
    # After the others (their ids unchanged): the register's F1 and the surveys' plans need them.
    for i, office in enumerate(offices, 1):
        user(f"b{ctx.seed}_om{i}", Role.OFFICE_MANAGER, [office])
    return made


def run(ctx: Context) -> None:
    rng = ctx.rng
    company = Company.objects.create(name=f"听见物业（规模测试 {ctx.seed}）", short_name="规模测试")
    offices = Office.objects.bulk_create(
        [
            Office(company=company, name=f"第{i}管理处", code=f"o{i}", phone=f"0755-8{i:07d}")
            for i in range(1, ctx.offices + 1)
        ]
    )
    departments = {
        o.pk: Department.objects.bulk_create(
            [Department(company=company, office=o, kind=kind, name=name) for kind, name in DEPARTMENTS]
        )
        for o in offices
    }
    Department.objects.create(company=company, office=None, kind=DepartmentKind.QA, name="品质管理部")
    # Communities go to offices by weight (busy offices run more of them); every office has one.
    weights = office_weights(len(offices))
    homes = list(offices) + rng.choices(offices, weights=weights, k=max(0, ctx.communities - len(offices)))
    per_community = max(1, ctx.units // ctx.communities)
    communities = Community.objects.bulk_create(
        [
            Community(
                office=office,
                name=f"{PLACES[i % len(PLACES)]}{i + 1}期",
                occupied_on=datetime.date(2005 + rng.randrange(18), rng.randrange(1, 13), 1),
                households=per_community,
                standalone=True,
            )
            for i, office in enumerate(homes)
        ]
    )
    units_per_building = 100
    buildings = Building.objects.bulk_create(
        [
            Building(community=c, name=f"{b + 1}栋")
            for c in communities
            for b in range(max(1, per_community // units_per_building))
        ]
    )
    by_community: dict[int, list[Building]] = {}
    for b in buildings:
        by_community.setdefault(b.community_id, []).append(b)

    unit_t, resident_t = Template(Unit), Template(Resident)
    unit_id, resident_id = next_id(Unit), next_id(Resident)
    unit_office: list[tuple[int, int]] = []  # (unit id, office id)
    community_units: dict[int, list[tuple[int, int]]] = {}  # community id -> [(unit id, building id)]
    residents: dict[int, tuple[int, str]] = {}  # unit id -> (resident id, name)
    unit_rows, resident_rows = [], []
    for c in communities:
        for n in range(per_community):
            building = by_community[c.pk][n % len(by_community[c.pk])]
            number = f"{n // 8 % 30 + 1}{n % 8 + 1:02d}-{n // 240 + 1}"
            unit_rows.append(unit_t.row(id=unit_id, building_id=building.pk, number=number, occupied=True))
            unit_office.append((unit_id, c.office_id))
            community_units.setdefault(c.pk, []).append((unit_id, building.pk))
            if rng.random() < 0.4:
                name = _person(rng)
                phone = f"13{rng.randrange(10**9):09d}"
                resident_rows.append(resident_t.row(id=resident_id, unit_id=unit_id, name=name, phone=phone))
                residents[unit_id] = (resident_id, name)
                resident_id += 1
            unit_id += 1
    write(unit_t, unit_rows)
    write(resident_t, resident_rows)
    reset_sequences(Unit, Resident)
    users = _users(ctx, company, offices, departments)
    ctx.made.update(
        company=company,
        offices=offices,
        office_weights=weights,
        departments=departments,
        units_by_office=_group(unit_office),
        residents=residents,
        users=users,
        communities=communities,
        community_units=community_units,
        unit_community={u: c for c, units in community_units.items() for u, _b in units},
        unit_numbers={row[unit_t.index["id"]]: row[unit_t.index["number"]] for row in unit_rows},
    )
    ctx.log(
        f"estates: {len(offices)} offices, {len(communities)} communities, {len(unit_rows)} units, "
        f"{len(resident_rows)} residents, {sum(len(v) for v in users.values())} staff"
    )


def _group(pairs: list[tuple[int, int]]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for unit, office in pairs:
        out.setdefault(office, []).append(unit)
    return out
