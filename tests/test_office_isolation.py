"""Office isolation across every app (foundation issue, section 7; STYLE.md 3).

Walks every URL pattern of config.urls that takes a path parameter (recursively through includes),
makes an object of office A for each parameter (tests/office_objects/ says how), and checks:

- the outsider (same role, office B) gets 404 on GET and on POST, and no table changes: the row count
  of every model and the serialized target objects are the same before and after;
- the insider (that role in office A) does not get 404 on the same URL, so the test cannot pass
  vacuously, and the insider's GET changes nothing (every change needs POST, STYLE.md 9).

A view that accepts only POST answers GET with 405 to everybody; that tells an outsider nothing, so
405 is accepted on GET exactly when the insider gets 405 too (and then the insider's POST is the
positive control). Likewise 405 on POST is accepted for a view the insider cannot POST to either.

A new app is covered without touching this file: its URLs are found by the walk, and a parameter
that tests/office_objects/ does not know fails test_every_url_parameter_is_registered.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core import serializers
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from estates.models import COMPANY_ROLES
from tests import office_objects as registry
from tests.factories import CompanyFactory, OfficeFactory, UserFactory

# Left out of the walk, each for a reason:
SKIPPED_NAMESPACES = {
    # Django admin: staff-only (is_staff), every object id of every model; its access is Django's
    # own permission system, and only the company admin is staff.
    "admin",
}
SKIPPED_NAMES = {
    # django.contrib.auth: the mailed password-reset link; <uidb64>/<token> are a signed token for a
    # user, not an office object, and the view checks the token itself.
    "password_reset_confirm",
}


@dataclass(frozen=True)
class Route:
    name: str | None
    route: str
    params: tuple[str, ...]
    positional: bool  # a re_path with unnamed groups: cannot be reversed by name


def _walk(patterns, namespace: str = "", prefix: str = "", params: tuple[str, ...] = ()):
    for pattern in patterns:
        regex = pattern.pattern.regex
        names = tuple(regex.groupindex)
        positional = regex.groups > len(names)
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES and not namespace:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            for route in _walk(pattern.url_patterns, inner, prefix + str(pattern.pattern), params + names):
                yield Route(route.name, route.route, route.params, route.positional or positional)
        elif isinstance(pattern, URLPattern):
            if pattern.name in SKIPPED_NAMES:
                continue
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield Route(name, prefix + str(pattern.pattern), params + names, positional)


ALL_ROUTES = [r for r in _walk(get_resolver().url_patterns) if r.params or r.positional]


def _known(route: Route, param: str) -> bool:
    return route.name is not None and (
        registry.entry_for(route.name, param) is not None or registry.not_office_object(route.name, param) is not None
    )


CHECKED = [r for r in ALL_ROUTES if r.name and not r.positional and all(_known(r, p) for p in r.params)]
OFFICE_ROUTES = [r for r in CHECKED if any(registry.entry_for(r.name, p) for p in r.params)]
SKIPPED_ROUTES = [r for r in CHECKED if r not in OFFICE_ROUTES]


def test_the_walk_finds_the_known_object_urls():
    # Guards the walker itself: if it found nothing, the parametrized test below would test nothing.
    names = {r.name for r in ALL_ROUTES}
    assert {"estates:unit_detail", "notification_open"} <= names
    assert not any(r.route.startswith("admin/") for r in ALL_ROUTES)


def test_every_url_parameter_is_registered():
    problems = []
    for route in ALL_ROUTES:
        if route.name is None:
            problems.append(f"{route.route}: give the URL pattern a name so it can be tested")
        if route.positional:
            problems.append(f"{route.route}: use named parameters (re_path with (?P<name>...) or path())")
        missing = [p for p in route.params if not _known(route, p)]
        if route.name and missing:
            problems.append(f"{route.name or route.route}: register {', '.join(missing)} in tests/office_objects/")
    assert not problems, "\n".join(problems)


def test_insiders_name_known_urls_and_roles():
    names = {r.name for r in ALL_ROUTES}
    assert set(registry.INSIDERS) <= names, "INSIDERS names a URL that does not exist"
    assert set(registry.INSIDERS.values()) <= set(registry.ROLES)


def _persona_pair(role_key, *, company, office_a, office_b, frontdesk_a, frontdesk_b):
    """(insider, outsider) of one role: office A and office B; a company-wide role's outsider works
    for another company, since it sees every office of its own."""
    if role_key == "frontdesk":
        return frontdesk_a, frontdesk_b
    role = registry.ROLES[role_key]
    if role in COMPANY_ROLES:
        other = CompanyFactory(name="另一家物业公司")
        OfficeFactory(company=other, name="另一管理处", code="other")
        return (
            UserFactory(username=f"{role_key}_a", role=role, company=company),
            UserFactory(username=f"{role_key}_other", role=role, company=other),
        )
    return (
        UserFactory(username=f"{role_key}_a", role=role, company=company, offices=[office_a]),
        UserFactory(username=f"{role_key}_b", role=role, company=company, offices=[office_b]),
    )


def _snapshot(objects: dict) -> dict:
    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }
    rows = {}
    for name, obj in objects.items():
        if isinstance(obj, Model):
            fresh = type(obj)._default_manager.filter(pk=obj.pk).first()
            rows[name] = serializers.serialize("json", [fresh]) if fresh is not None else "deleted"
    return {"counts": counts, "rows": rows}


def _params():
    for route in CHECKED:
        if route in SKIPPED_ROUTES:
            reasons = "; ".join(f"{p}: {registry.not_office_object(route.name, p)}" for p in route.params)
            # Reported as skipped (with the reason), never silently passed.
            yield pytest.param(route, id=route.name, marks=pytest.mark.skip(reason=f"no office object ({reasons})"))
        else:
            yield pytest.param(route, id=route.name)


@pytest.mark.parametrize("route", list(_params()))
def test_outsider_gets_404_and_changes_nothing(route, company, office_a, office_b, unit_a, frontdesk_a, frontdesk_b):
    insider, outsider = _persona_pair(
        registry.INSIDERS.get(route.name, "frontdesk"),
        company=company,
        office_a=office_a,
        office_b=office_b,
        frontdesk_a=frontdesk_a,
        frontdesk_b=frontdesk_b,
    )
    ctx = registry.Context(
        company=company,
        office_a=office_a,
        office_b=office_b,
        unit_a=unit_a,
        frontdesk_a=frontdesk_a,
        insider=insider,
        outsider=outsider,
    )
    kwargs = {}
    for param in route.params:
        entry = registry.entry_for(route.name, param)
        if entry is not None:
            ctx.objects[param] = entry.make(ctx)
            kwargs[param] = entry.value(ctx.objects[param])
    url = reverse(route.name, kwargs=kwargs)

    inside = Client()
    inside.force_login(insider)
    outside = Client()
    outside.force_login(outsider)

    # The outsider, first, with everything snapshotted around both requests.
    before = _snapshot(ctx.objects)
    out_get = outside.get(url)
    out_post = outside.post(url, data={})
    after = _snapshot(ctx.objects)

    # The insider's GET: the positive control, and it must change nothing either.
    in_get = inside.get(url)
    after_insider_get = _snapshot(ctx.objects)

    assert after == before, f"{url}: the outsider's requests changed the database"
    assert after_insider_get == after, f"{url}: a GET changed the database (changes need POST, STYLE.md 9)"

    if in_get.status_code == 405:
        # POST-only view: GET is refused to everybody; the insider's POST is the positive control.
        assert out_get.status_code in (404, 405), f"{url}: outsider GET gave {out_get.status_code}"
        assert out_post.status_code == 404, f"{url}: outsider POST gave {out_post.status_code}, not 404"
        in_post = inside.post(url, data={})
        assert in_post.status_code not in (404, 405), f"{url}: the insider's POST gave {in_post.status_code}"
    else:
        assert in_get.status_code != 404, f"{url}: the insider gets 404 too, so the test proves nothing"
        assert in_get.status_code < 500
        assert out_get.status_code == 404, f"{url}: outsider GET gave {out_get.status_code}, not 404"
        if out_post.status_code == 405:
            # A GET-only view: the method is refused before any lookup, to the insider as well.
            assert inside.post(url, data={}).status_code == 405
        else:
            assert out_post.status_code == 404, f"{url}: outsider POST gave {out_post.status_code}, not 404"


def test_snapshot_notices_a_changed_row_and_a_new_row(unit_a):
    # Guards the "nothing changed" half: a snapshot that missed changes would pass anything.
    from tests.factories import ResidentFactory

    before = _snapshot({"unit_id": unit_a})
    type(unit_a).objects.filter(pk=unit_a.pk).update(floor=9)
    changed = _snapshot({"unit_id": unit_a})
    assert changed["rows"] != before["rows"]
    ResidentFactory(unit=unit_a)
    assert _snapshot({"unit_id": unit_a})["counts"] != changed["counts"]
