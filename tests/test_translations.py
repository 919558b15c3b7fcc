"""The product's catalogues win: every msgid of our zh_Hans catalogues translates, at run time, to our
msgstr — not to Django admin's or another library's wording for the same English, nor to another of
our apps' (foundation issue §1: both catalogues complete; the UI is Chinese first)."""

from __future__ import annotations

import gettext as gettext_module
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
CATALOGUES = sorted(p for p in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.mo") if ".venv" not in p.parts)


def _entries(mo: Path):
    with mo.open("rb") as handle:
        catalog = gettext_module.GNUTranslations(handle)._catalog
    for key, value in catalog.items():
        if key == "" or isinstance(key, tuple):  # the header; plural forms are checked by msgfmt -c
            continue
        yield key, value


def test_there_is_a_catalogue_per_app_and_for_the_project():
    names = {p.relative_to(ROOT).parts[0] for p in CATALOGUES}
    assert {"locale", "estates", "clock", "complaints"} <= names


@pytest.mark.parametrize("mo", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT).parts[0]))
def test_our_translation_is_the_one_shown(mo):
    wrong = []
    with translation.override("zh-hans"):
        for key, ours in _entries(mo):
            if "\x04" in key:
                context, msgid = key.split("\x04", 1)
                shown = translation.pgettext(context, msgid)
            else:
                msgid, shown = key, translation.gettext(key)
            if shown != ours:
                wrong.append(f"{msgid!r}: ours {ours!r}, shown {shown!r}")
    assert not wrong, "\n".join(wrong)


def test_filter_button_reads_as_chinese_filter_not_admin_wording(client, frontdesk_a):
    client.force_login(frontdesk_a)
    html = client.get("/complaints/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "筛选" in html
    assert "过滤器" not in html
