"""Background Excel exports (issue 10): beyond TINGJIAN_EXPORT_INLINE_LIMIT rows an export is recorded as a
job, built by a task with the requesting user's office scope, and its file arrives in the user's inbox;
only that user downloads it; files expire; a resubmit makes one job; a failing build is reported.

CELERY_TASK_ALWAYS_EAGER is off in tests: the queued callback is captured and the task called directly."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.storage import default_storage
from django.urls import reverse
from openpyxl import load_workbook

from clock.models import Notification
from estates.models import Role
from exports import registry
from exports.models import ExportJob, ExportState
from exports.registry import dump, load
from exports.services import exports_expire, exports_requeue_stale, safe_filename
from exports.tasks import build_export, housekeeping
from tests.complaints.conftest import TUESDAY_10
from tests.factories import ComplaintFactory, UserFactory

pytestmark = pytest.mark.django_db

RECEIVED = datetime.datetime(2026, 3, 9, 2, 0, tzinfo=datetime.UTC)
QUERY = "?date_from=2026-03-01&date_to=2026-03-10"


@pytest.fixture
def frozen():
    with time_machine.travel(TUESDAY_10, tick=False) as traveller:
        yield traveller


@pytest.fixture
def limit_3(settings):
    settings.TINGJIAN_EXPORT_INLINE_LIMIT = 3
    return settings


@pytest.fixture
def four_in_a_one_in_b(office_a, office_b, frontdesk_a, frozen):
    mine = [
        ComplaintFactory(office=office_a, received_by=frontdesk_a, received_at=RECEIVED, content=f"漏水 {i}")
        for i in range(4)
    ]
    ComplaintFactory(office=office_b, received_at=RECEIVED, content="B 办的投诉")
    return mine


def _rows(data: bytes, column: int) -> list:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode()
                assert "<f>" not in xml and "<f " not in xml
    ws = load_workbook(io.BytesIO(data)).active
    return [ws.cell(row=r, column=column).value for r in range(4, ws.max_row + 1)]


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _request(client, django_capture_on_commit_callbacks, url: str):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url)
    return response, callbacks


# --- over the limit: a job, a notification, a download ---------------------------------------------


def test_work_log_over_the_limit_is_built_in_the_background_and_arrives_in_the_inbox(
    client_a, frontdesk_a, four_in_a_one_in_b, limit_3, django_capture_on_commit_callbacks
):
    url = reverse("complaints:work_log_xlsx") + QUERY
    response, callbacks = _request(client_a, django_capture_on_commit_callbacks, url)

    # No file in the response: back to the page, filter kept, with the message.
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:work_log") + QUERY
    assert "Content-Disposition" not in response
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["导出已在后台生成，完成后会通知您"]
    job = ExportJob.objects.get()
    assert (job.user, job.kind, job.state) == (frontdesk_a, "complaints.work_log", ExportState.PENDING)
    assert job.params["date_from"] == "2026-03-01" and job.params["date_to"] == "2026-03-10"
    assert len(callbacks) == 1  # queued once the request commits
    assert not Notification.objects.filter(recipient=frontdesk_a).exists()

    assert build_export(job.pk) == ExportState.DONE

    job.refresh_from_db()
    assert job.state == ExportState.DONE and default_storage.exists(job.file)
    note = Notification.objects.get(recipient=frontdesk_a)
    assert note.display_title == "您的导出已生成"
    assert "工作信息记录本" in note.display_body and "7 天" in note.display_body
    # Opening it in the inbox leads to the download: the office's four rows, not office B's.
    opened = client_a.post(reverse("notification_open", args=[note.pk]))
    assert opened["Location"] == note.link == reverse("exports:download", args=[job.token])
    download = client_a.get(note.link)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert "WY7.2.3-G01-F2" in download["Content-Disposition"]
    numbers = _rows(_body(download), column=7)
    assert sorted(numbers) == sorted(c.number for c in four_in_a_one_in_b)
    # Building again (a redelivered message) does nothing.
    assert build_export(job.pk) == ""
    assert Notification.objects.filter(recipient=frontdesk_a).count() == 1


def test_under_the_limit_the_export_is_built_in_the_request_as_before(
    client_a, four_in_a_one_in_b, settings, django_capture_on_commit_callbacks
):
    settings.TINGJIAN_EXPORT_INLINE_LIMIT = 4
    for method in ("get", "post"):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = getattr(client_a, method)(reverse("complaints:work_log_xlsx") + QUERY)
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
        assert len(_rows(_body(response), column=7)) == 4
        assert callbacks == []
    assert not ExportJob.objects.exists()


def test_background_build_keeps_the_requesting_users_office_scope(
    client, office_a, office_b, four_in_a_one_in_b, limit_3, django_capture_on_commit_callbacks
):
    """QA sees both offices; a front desk of office B only B's: each job holds its user's rows."""
    for _ in range(3):
        ComplaintFactory(office=office_b, received_at=RECEIVED, content="B")
    frontdesk_b = UserFactory(role=Role.FRONT_DESK, company=office_b.company, offices=[office_b])
    client.force_login(frontdesk_b)
    _request(client, django_capture_on_commit_callbacks, reverse("complaints:work_log_xlsx") + QUERY)
    job = ExportJob.objects.get(user=frontdesk_b)
    build_export(job.pk)
    numbers = _rows(_body(client.get(reverse("exports:download", args=[job.token]))), column=7)
    assert len(numbers) == 4
    assert not set(numbers) & {c.number for c in four_in_a_one_in_b}


def test_every_large_register_export_goes_through_the_background(
    client_a, office_a, frontdesk_a, limit_3, frozen, make_entry_a, django_capture_on_commit_callbacks
):
    for i in range(4):
        ComplaintFactory(office=office_a, received_at=RECEIVED, complaint_class=1, content=f"一类 {i}")
        make_entry_a(content=f"路灯坏了 {i}")
    urls = {
        "complaints.register_f1": (reverse("complaints:register_f1_xlsx"), reverse("complaints:list")),
        "feedback.register": (reverse("feedback:register_xlsx") + "?channel=phone", reverse("feedback:register")),
    }
    for kind, (url, back) in urls.items():
        response, _callbacks = _request(client_a, django_capture_on_commit_callbacks, url)
        assert response.status_code == 302 and response["Location"].startswith(back), kind
        job = ExportJob.objects.get(kind=kind)
        assert build_export(job.pk) == ExportState.DONE
        data = _body(client_a.get(reverse("exports:download", args=[job.token])))
        assert len([v for v in _rows(data, column=1) if v]) == 4, kind
    assert Notification.objects.filter(recipient=frontdesk_a).count() == 2


@pytest.fixture
def make_entry_a(frontdesk_a, office_a):
    from feedback.services import entry_create

    def make(**kwargs):
        values = {"office": office_a, "by": frontdesk_a, "channel": "phone", "kind": "opinion", "content": "x"}
        values.update(kwargs)
        return entry_create(**values)

    return make


# --- one job per export, whatever the clicks ------------------------------------------------------


def test_a_double_post_makes_one_job_and_a_get_makes_none(
    client_a, four_in_a_one_in_b, limit_3, django_capture_on_commit_callbacks
):
    url = reverse("complaints:work_log_xlsx") + QUERY
    # A GET (an old link, a bookmark) asks for the POST on a page and writes nothing.
    page = client_a.get(url)
    assert page.status_code == 200 and "Content-Disposition" not in page
    assert 'method="post"' in page.content.decode()
    assert not ExportJob.objects.exists()

    _first, first = _request(client_a, django_capture_on_commit_callbacks, url)
    again, second = _request(client_a, django_capture_on_commit_callbacks, url)
    assert ExportJob.objects.count() == 1
    assert (len(first), len(second)) == (1, 0)
    # (the first request's message is still unread: the redirect was not followed)
    assert [str(m) for m in get_messages(again.wsgi_request)][-1] == "这个导出正在生成中，完成后会通知您"
    # Another filter is another export.
    _request(
        client_a, django_capture_on_commit_callbacks, reverse("complaints:work_log_xlsx") + "?date_from=2026-03-02"
    )
    assert ExportJob.objects.count() == 2


def test_once_built_the_same_export_may_be_asked_again(
    client_a, four_in_a_one_in_b, limit_3, django_capture_on_commit_callbacks
):
    url = reverse("complaints:work_log_xlsx") + QUERY
    _request(client_a, django_capture_on_commit_callbacks, url)
    build_export(ExportJob.objects.get().pk)
    _request(client_a, django_capture_on_commit_callbacks, url)
    assert sorted(ExportJob.objects.values_list("state", flat=True)) == ["done", "pending"]


# --- the download is the requester's alone -----------------------------------------------------------


def test_only_the_requesting_user_downloads_the_file(
    client, client_a, office_a, frontdesk_b, qa, four_in_a_one_in_b, limit_3, django_capture_on_commit_callbacks
):
    _request(client_a, django_capture_on_commit_callbacks, reverse("complaints:work_log_xlsx") + QUERY)
    job = ExportJob.objects.get()
    build_export(job.pk)
    url = reverse("exports:download", args=[job.token])
    colleague = UserFactory(role=Role.FRONT_DESK, company=office_a.company, offices=[office_a])
    for other in (colleague, frontdesk_b, qa):
        client.force_login(other)
        assert client.get(url).status_code == 404, other.username
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_filename_is_safe(client_a):
    assert safe_filename('../../etc/passwd"\r\n.xlsx') == "etc_passwd_.xlsx"
    assert safe_filename("WY7.2.3-G01-F2 20260310-1000.xlsx") == "WY7.2.3-G01-F2 20260310-1000.xlsx"
    assert safe_filename("与顾客沟通登记表") == "与顾客沟通登记表.xlsx"
    assert safe_filename("") == "export.xlsx"


# --- expiry -----------------------------------------------------------------------------------------


def test_files_expire_and_the_link_then_says_so(
    client_a, frontdesk_a, four_in_a_one_in_b, limit_3, frozen, django_capture_on_commit_callbacks
):
    _request(client_a, django_capture_on_commit_callbacks, reverse("complaints:work_log_xlsx") + QUERY)
    job = ExportJob.objects.get()
    build_export(job.pk)
    job.refresh_from_db()
    assert default_storage.exists(job.file)
    url = reverse("exports:download", args=[job.token])
    frozen.shift(datetime.timedelta(days=6, hours=23))
    client_a.force_login(frontdesk_a)  # the session itself lasts 12 hours
    assert exports_expire() == 0
    assert client_a.get(url).status_code == 200

    frozen.shift(datetime.timedelta(hours=2))
    # Past the time even before housekeeping has run: the link says it expired.
    before = client_a.get(url)
    assert before.status_code == 410 and "已过期" in before.content.decode()
    assert housekeeping() == {"expired": 1, "requeued": 0}
    assert not ExportJob.objects.exists() and not default_storage.exists(job.file)
    after = client_a.get(url)
    assert after.status_code == 410
    assert "这个导出已过期" in after.content.decode() and "7 天" in after.content.decode()


def test_a_pending_export_link_says_it_is_being_built(
    client_a, four_in_a_one_in_b, limit_3, django_capture_on_commit_callbacks
):
    _request(client_a, django_capture_on_commit_callbacks, reverse("complaints:work_log_xlsx") + QUERY)
    response = client_a.get(reverse("exports:download", args=[ExportJob.objects.get().token]))
    assert response.status_code == 200 and "正在生成" in response.content.decode()


# --- failures and lost messages ----------------------------------------------------------------------


def test_a_failing_build_is_marked_failed_notified_and_does_not_stop_other_jobs(
    client,
    client_a,
    frontdesk_a,
    office_a,
    four_in_a_one_in_b,
    limit_3,
    monkeypatch,
    caplog,
    django_capture_on_commit_callbacks,
):
    ComplaintFactory.create_batch(4, office=office_a, received_at=RECEIVED, complaint_class=1)
    _request(client_a, django_capture_on_commit_callbacks, reverse("complaints:work_log_xlsx") + QUERY)
    _request(client_a, django_capture_on_commit_callbacks, reverse("complaints:register_f1_xlsx"))
    failing = ExportJob.objects.get(kind="complaints.work_log")
    working = ExportJob.objects.get(kind="complaints.register_f1")

    kind = registry.kind_for("complaints.work_log")

    def broken(params, user):
        raise ValueError("a cell quoting 李女士 13912345678")

    monkeypatch.setitem(registry._KINDS, kind.name, registry.ExportKind(**{**kind.__dict__, "build": broken}))
    assert build_export(failing.pk) == ExportState.FAILED
    assert build_export(working.pk) == ExportState.DONE

    failing.refresh_from_db()
    assert failing.state == ExportState.FAILED and failing.error == "ValueError"
    assert "李女士" not in failing.error
    assert "ValueError" in caplog.text and "李女士" not in caplog.text  # no resident's data in the log
    note = Notification.objects.get(recipient=frontdesk_a, key__endswith=":failed")
    assert note.display_title == "您的导出未能生成"
    assert "工作信息记录本" in note.display_body
    page = client_a.get(note.link)
    assert page.status_code == 200 and "未能生成" in page.content.decode()
    assert Notification.objects.filter(recipient=frontdesk_a, key__endswith=":done").count() == 1


def test_a_lost_queue_message_is_queued_again_and_built_once(
    client_a, four_in_a_one_in_b, limit_3, frozen, monkeypatch, django_capture_on_commit_callbacks
):
    _request(client_a, django_capture_on_commit_callbacks, reverse("complaints:work_log_xlsx") + QUERY)
    job = ExportJob.objects.get()
    queued: list[int] = []
    monkeypatch.setattr("exports.services.queue_build", queued.append)
    assert exports_requeue_stale() == 0
    frozen.shift(datetime.timedelta(minutes=6))
    assert exports_requeue_stale() == 1 and queued == [job.pk]
    assert build_export(job.pk) == ExportState.DONE
    assert build_export(job.pk) == ""
    assert exports_requeue_stale() == 0


# --- the registry -----------------------------------------------------------------------------------


def test_parameters_round_trip_through_json():
    from complaints.selectors import Filters

    f = Filters(office=3, date_from=datetime.date(2026, 3, 1), text="漏水", overdue=True)
    assert load(Filters, dump(f)) == f
    assert load(Filters, {**dump(f), "gone": 1}) == f  # a filter removed since the job was stored


def test_every_large_excel_export_is_registered():
    assert {"complaints.work_log", "complaints.register_f1", "complaints.register_f2", "feedback.register"} <= set(
        registry.registered()
    )


# --- a job deleted otherwise than by expiry ------------------------------------------------------


def _built_job(user) -> ExportJob:
    job = ExportJob.objects.create(
        user=user, kind="complaints.work_log", fingerprint="f", state=ExportState.DONE, created_at=RECEIVED
    )
    job.file = default_storage.save(f"exports/{user.pk}/{job.token}.xlsx", io.BytesIO(b"PK"))
    job.save(update_fields=["file"])
    return job


def test_deleting_a_user_deletes_their_built_files_once_committed(office_a, django_capture_on_commit_callbacks):
    # A user with no records (those with complaints are protected): their job goes by the cascade.
    leaving, staying = UserFactory(role=Role.FRONT_DESK), UserFactory(role=Role.FRONT_DESK)
    theirs, others = _built_job(leaving), _built_job(staying)

    with django_capture_on_commit_callbacks(execute=True):
        leaving.delete()

    assert not ExportJob.objects.filter(pk=theirs.pk).exists()
    assert not default_storage.exists(theirs.file)
    assert default_storage.exists(others.file)  # another user's file stays


def test_a_rolled_back_deletion_keeps_the_file(office_a, django_capture_on_commit_callbacks):
    job = _built_job(UserFactory(role=Role.FRONT_DESK))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job.delete()
    assert len(callbacks) == 1  # deleted only when the transaction commits …
    assert default_storage.exists(job.file)  # … so a rollback before then keeps it
    callbacks[0]()
    assert not default_storage.exists(job.file)
