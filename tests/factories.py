"""factory_boy factories shared by every test module."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from estates.models import Building, Community, Company, Department, DepartmentKind, Office, Resident, Role, Unit, User


class CompanyFactory(DjangoModelFactory):
    class Meta:
        model = Company
        django_get_or_create = ("name",)

    name = "示范物业公司"


class OfficeFactory(DjangoModelFactory):
    class Meta:
        model = Office

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"第{n}管理处")
    code = factory.Sequence(lambda n: f"office-{n}")


class CommunityFactory(DjangoModelFactory):
    class Meta:
        model = Community

    office = factory.SubFactory(OfficeFactory)
    name = factory.Sequence(lambda n: f"小区{n}")
    occupied_on = datetime.date(2016, 6, 1)
    households = 600


class BuildingFactory(DjangoModelFactory):
    class Meta:
        model = Building

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"{n + 1}栋")


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    building = factory.SubFactory(BuildingFactory)
    number = factory.Sequence(lambda n: f"{101 + n}")
    floor = 1


class ResidentFactory(DjangoModelFactory):
    class Meta:
        model = Resident

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"住户{n}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    company = factory.SubFactory(CompanyFactory)
    office = None
    kind = DepartmentKind.CUSTOMER_SERVICE
    name = factory.Sequence(lambda n: f"部门{n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"员工{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    company = factory.SubFactory(CompanyFactory)
    role = Role.FRONT_DESK
    password = factory.django.Password("pw-Tingjian-2026")

    @factory.post_generation
    def offices(self, create, extracted, **kwargs):
        if create and extracted:
            self.offices.set(extracted)

    @factory.post_generation
    def join_role_group(self, create, extracted, **kwargs):
        if create and self.role:
            from estates.roles import group_for

            self.groups.add(group_for(self.role))


def _complaint_now():
    from django.utils import timezone

    return timezone.now()


class ComplaintFactory(DjangoModelFactory):
    """A complaint row as it stands after intake, without the services' deadlines and timeline (use
    complaints.services.complaint_create for those)."""

    class Meta:
        model = "complaints.Complaint"

    office = factory.SubFactory(OfficeFactory)
    number = factory.Sequence(lambda n: f"TS-2026-{900000 + n:06d}")
    channel = "phone"
    kind = "complaint"
    received_at = factory.LazyFunction(_complaint_now)
    received_by = factory.SubFactory(UserFactory, company=factory.SelfAttribute("..office.company"))
    content = factory.Sequence(lambda n: f"楼道灯不亮，已经三天了（{n}）")
    contact_name = "张先生"
    contact_phone = "13800138000"
