"""Pinned query counts of the complaint pages (STYLE.md 12, issue 7): the work log, the return-visit
queue and a complaint's page cost the same number of queries with 3 rows as with 23."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints import services
from tests.complaints.conftest import TUESDAY_10
from tests.images import PNG


def _pinned(client, url, grow, django_assert_max_num_queries, first_limit):
    with django_assert_max_num_queries(first_limit) as few:
        assert client.get(url).status_code == 200
    grow()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_work_log_query_count_does_not_grow_with_rows(
    frozen, make_complaint, client_a, engineering_a, manager_a, django_assert_max_num_queries
):
    def make(n):
        for i in range(n):
            c = make_complaint(received_at=TUESDAY_10 - datetime.timedelta(minutes=i + 1))
            # "Passed to" names the department with its office: loaded by the selector, not per row.
            services.complaint_forward(complaint=c, by=manager_a, department=engineering_a)

    make(3)
    _pinned(client_a, reverse("complaints:work_log"), lambda: make(20), django_assert_max_num_queries, 11)


def test_return_visit_queue_query_count_does_not_grow_with_rows(
    frozen, make_complaint, cs_a, manager_a, qa, client, django_assert_max_num_queries
):
    def make(n):
        for _i in range(n):
            c = make_complaint()
            services.complaint_respond(complaint=c, by=cs_a, how="call", note="已致歉")
            c = services.complaint_classify(complaint=c, by=manager_a, complaint_class=1, category="repairs")
            services.complaint_set_handling(complaint=c, by=manager_a, opinion="修", handler=cs_a)
            services.complaint_tell_result(complaint=c, by=cs_a, result="好了")
            services.complaint_decide_return_visit(complaint=c, by=qa, required=True)

    make(3)
    client.force_login(qa)
    _pinned(client, reverse("complaints:return_visits"), lambda: make(20), django_assert_max_num_queries, 16)


def test_complaint_page_query_count_does_not_grow_with_its_timeline(
    frozen, make_complaint, cs_a, client_a, django_assert_max_num_queries
):
    c = make_complaint()

    def grow():
        for i in range(20):
            c.refresh_from_db()
            services.complaint_add_note(
                complaint=c, by=cs_a, note=f"第{i}次", files=[SimpleUploadedFile(f"p{i}.png", PNG)]
            )

    services.complaint_add_note(complaint=c, by=cs_a, note="首次", files=[SimpleUploadedFile("p.png", PNG)])
    # Issue 10: 13 (was 16) — the records, the special report and the publication in one query.
    _pinned(client_a, c.get_absolute_url(), grow, django_assert_max_num_queries, 13)
