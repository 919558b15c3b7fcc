"""Taking a resident's personal data out of a text that is published to all staff (C15 publish now,
issue 9, PIPL): names, phone numbers and unit numbers. Pure: the caller passes what it knows of the
complainant (names, phones, unit labels and numbers); patterns catch what it does not know.

The placeholders are Chinese words on purpose: the published text is Chinese, whatever the language
of the publisher's screen."""

from __future__ import annotations

import re
from collections.abc import Iterable

NAME = "某住户"
PHONE = "[电话已隐去]"
UNIT = "某房号"

# Mobile numbers, landlines with or without area code, spaced or dashed: 7 digits and more.
_PHONE = re.compile(r"(?<![\d])(?:\+?86[- ]?)?(?:1[3-9]\d[- ]?\d{4}[- ]?\d{4}|0\d{2,3}[- ]?\d{7,8}|\d{7,8})(?![\d])")
# 3栋-1203, 3栋1203室, 12号楼2单元502, 5幢301, A座-1001, 1203室, 502房
_UNIT = re.compile(
    r"(?:[A-Za-z]|\d{1,3})\s*(?:栋|幢|座|号楼|楼)\s*(?:\d{1,2}\s*单元)?\s*[-－—]?\s*\d{2,4}\s*(?:室|房|号)?"
    r"|(?<!\d)\d{1,3}\s*[-－]\s*\d{3,4}(?:\s*(?:室|房))?"
    r"|(?<!\d)\d{3,4}\s*(?:室|房)"
)
# A surname and a form of address: 李女士, 王先生, 张阿姨, 刘师傅.
_ADDRESSED = re.compile(r"[\u4e00-\u9fa5](?:女士|先生|小姐|阿姨|师傅|大爷|大妈|老师|老板|总)")


def redact(
    text: str,
    *,
    names: Iterable[str] = (),
    phones: Iterable[str] = (),
    units: Iterable[str] = (),
) -> str:
    """`text` with the given names, phones and units, and anything that looks like one, replaced."""
    out = text
    for known, placeholder in ((phones, PHONE), (units, UNIT), (names, NAME)):
        # Longest first: "科信小区 3栋-1203" before "1203".
        for value in sorted({v.strip() for v in known if v and len(v.strip()) >= 2}, key=len, reverse=True):
            out = out.replace(value, placeholder)
    out = _PHONE.sub(PHONE, out)
    out = _UNIT.sub(UNIT, out)
    out = _ADDRESSED.sub(NAME, out)
    return out


def complainant_data(complaint) -> dict[str, list[str]]:
    """What the complaint knows of its complainant, for `redact` (select_related resident and unit)."""
    names, phones, units = [complaint.contact_name], [complaint.contact_phone], []
    resident = complaint.resident if complaint.resident_id else None
    if resident is not None:
        names.append(resident.name)
        phones.append(resident.phone)
    unit = complaint.unit if complaint.unit_id else None
    if unit is not None:
        units += unit_forms(unit)
    # A name's surname with a form of address is caught by the pattern; the given name alone here.
    names += [n[1:] for n in names if n and len(n) >= 3 and not n.endswith(("女士", "先生"))]
    return {"names": [n for n in names if n], "phones": [p for p in phones if p], "units": units}


def unit_forms(unit) -> list[str]:
    """The ways a unit is written in free text: its label, 3栋-1203, 3栋1203 and, from 3 digits, 1203."""
    forms = [unit.label, f"{unit.building.name}-{unit.number}", f"{unit.building.name}{unit.number}"]
    if len(unit.number) >= 3:
        forms.append(unit.number)
    return forms


def resident_data(resident, contacts: Iterable[tuple[str, str]] = ()) -> dict[str, list[str]]:
    """What is known of a resident for `redact` when erasing them (PIPL): their name and phone, the
    (name, phone) pairs they were logged under, and their unit's forms."""
    names = {resident.name, *(name for name, _phone in contacts)}
    phones = {resident.phone, *(phone for _name, phone in contacts)}
    return {
        "names": [n for n in names if n],
        "phones": [p for p in phones if p],
        "units": unit_forms(resident.unit),
    }
