"""Roles as Django groups, with their permissions kept here in code.

Process apps add their own permissions from their AppConfig.ready() with `grant()`; estates never
imports a process app (DESIGN.md). `sync_role_groups` runs after every migrate and is idempotent.
"""

from __future__ import annotations

from collections import defaultdict

from .models import Role

_VIEW_ESTATES = [
    "estates.view_community",
    "estates.view_building",
    "estates.view_unit",
    "estates.view_resident",
    "estates.view_department",
]
_EDIT_ESTATES = [
    "estates.add_building",
    "estates.change_building",
    "estates.add_unit",
    "estates.change_unit",
    "estates.add_resident",
    "estates.change_resident",
    "estates.import_estates",
]

ROLE_PERMISSIONS: dict[str, set[str]] = defaultdict(set)
for _role in Role:
    ROLE_PERMISSIONS[_role.value].update(_VIEW_ESTATES)
for _role in (Role.FRONT_DESK, Role.CS_ASSISTANT):
    ROLE_PERMISSIONS[_role.value].update(["estates.add_resident", "estates.change_resident"])
for _role in (Role.OFFICE_MANAGER, Role.COMPANY_ADMIN):
    ROLE_PERMISSIONS[_role.value].update(_EDIT_ESTATES)
ROLE_PERMISSIONS[Role.COMPANY_ADMIN.value].update(
    [
        "estates.add_community",
        "estates.change_community",
        "estates.add_office",
        "estates.change_office",
        "estates.add_department",
        "estates.change_department",
        "estates.add_user",
        "estates.change_user",
        "estates.view_user",
    ]
)


def grant(role: str, permissions: list[str]) -> None:
    """Give a role more permissions ("app_label.codename"); called by process apps at ready()."""
    ROLE_PERMISSIONS[str(role)].update(permissions)


def sync_role_groups(sender=None, **kwargs) -> None:
    """Create one group per role and set exactly its permissions. Unknown permissions are skipped
    (their app may not be migrated yet) and picked up by the next migrate."""
    from django.contrib.auth.models import Group, Permission

    using = kwargs.get("using", "default")
    for role in Role:
        group, _created = Group.objects.using(using).get_or_create(name=role.value)
        wanted = []
        for perm in sorted(ROLE_PERMISSIONS[role.value]):
            app_label, codename = perm.split(".", 1)
            found = Permission.objects.using(using).filter(content_type__app_label=app_label, codename=codename).first()
            if found is not None:
                wanted.append(found)
        group.permissions.set(wanted)


def group_for(role: str):
    from django.contrib.auth.models import Group

    return Group.objects.get_or_create(name=str(role))[0]
