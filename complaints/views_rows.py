"""The rows of the complaint list and of the work log, written in Python (issue 10).

Through the template engine each of the 25 rows cost ~20 variable nodes (lookup, filter, localisation,
escaping each), about half of the list's template time; here a row is one `format_html`. The markup is
the one the templates wrote (tests/complaints/test_list_rows.py renders both and compares them): the
same cells, classes, `data-label`s (the phone's stacked cards), dates in the office's time zone,
everything stored or typed escaped. The table around the rows, its head and the empty state stay in
the templates.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _


def _at(value, fmt: str) -> str:
    """The `date` filter's "Y-m-d H:i" / "Y-m-d" / "H:i": the office's local time, "" for nothing."""
    return timezone.localtime(value).strftime(fmt) if value else ""


_LIST_ROW = (
    '\n    <tr class="{}">'
    '\n      <td data-label="{}"><div class="tj-cell text-nowrap"><a href="{}">{}</a>{}</div></td>'
    '\n      <td data-label="{}"><div class="tj-cell text-nowrap">{}</div></td>'
    "\n      {}"
    '\n      <td data-label="{}"><div class="tj-cell tj-wrap">{} <span class="text-nowrap">{}</span></div></td>'
    '\n      <td data-label="{}" class="tj-col-content"><div class="tj-cell tj-wrap">{}</div></td>'
    '\n      <td data-label="{}"><div class="tj-cell text-nowrap">{}</div></td>'
    '\n      <td data-label="{}"><div class="tj-cell text-nowrap">{}{}</div></td>'
    '\n      <td data-label="{}"><div class="tj-cell text-nowrap">{}</div></td>'
    "\n    </tr>\n  "
)


def complaint_list_rows(complaints: Iterable, *, many_offices: bool) -> SafeString:
    """The <tr>s of complaints/list.html (the office column only for users of several offices)."""
    # Labels and badges translated once per page, not once per row.
    number, received, office, unit = _("Number"), _("Received"), _("Office"), _("Unit / resident")
    content, klass, state, next_due = _("Content"), _("Class"), _("State"), _("Next due")
    important = format_html(' <span class="badge text-bg-warning">{}</span>', _("Important"))
    overdue = format_html(' <span class="badge text-bg-danger">{}</span>', _("Overdue"))
    rows = []
    for c in complaints:
        late = bool(c.overdue)
        rows.append(
            format_html(
                _LIST_ROW,
                "table-danger tj-overdue" if late else "",
                number,
                c.get_absolute_url(),
                c.number,
                important if c.important else "",
                received,
                _at(c.received_at, "%Y-%m-%d %H:%M"),
                format_html('<td data-label="{}"><div class="tj-cell text-nowrap">{}</div></td>', office, c.office.name)
                if many_offices
                else "",
                unit,
                format_html('<span class="text-nowrap">{}</span>', c.unit.label) if c.unit_id else "",
                c.who,
                content,
                Truncator(c.content).chars(40),
                klass,
                c.get_complaint_class_display() or "—",
                state,
                c.get_state_display(),
                overdue if late else "",
                next_due,
                _at(c.next_due, "%Y-%m-%d %H:%M") or "—",
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 -- every part went through format_html


def work_log_rows(complaints: Iterable) -> SafeString:
    """The <tr>s of complaints/work_log.html (WY7.2.3-G01-F2's columns); "" when there are none."""
    return format_html_join(
        "",
        "\n    <tr>"
        "\n      <td>{}</td><td>{}</td><td>{}</td>"
        "\n      <td>{}</td><td>{}</td>"
        '\n      <td><a href="{}">{}</a> {}</td>'
        "\n      <td>{}</td><td>{}</td>"
        "\n    </tr>\n  ",
        (
            (
                _at(c.received_at, "%Y-%m-%d"),
                _at(c.received_at, "%H:%M"),
                c.get_channel_display(),
                c.who,
                c.unit.label if c.unit_id else "",
                c.get_absolute_url(),
                c.number,
                Truncator(c.content).chars(60),
                c.received_by,
                c.passed_to,
            )
            for c in complaints
        ),
    )
