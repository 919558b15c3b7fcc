"""The Celery app and the one beat schedule of the product (DESIGN.md: "the one beat schedule")."""

from __future__ import annotations

from celery import Celery

from config.entry import use_settings

use_settings()

app = Celery("tingjian")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every periodic job lives here, in one place. Each job is idempotent: beat may fire twice, a worker
# may be down for an hour; the jobs look at what is due (due_at <= now), never at "exactly today".
app.conf.beat_schedule = {
    # Deadlines: warn once before due, flag a breach once after due (clock.sweeper).
    "clock-sweep": {"task": "clock.tasks.sweep_deadlines", "schedule": 60.0},
    # Notifications: send unsent emails, retry failed ones with back-off.
    "clock-send-notifications": {"task": "clock.tasks.send_notifications", "schedule": 60.0},
    # From 1 November: warn the company admin once if next year's holidays are not yet entered.
    "clock-calendar-coverage": {"task": "clock.tasks.check_calendar_coverage", "schedule": 3600.0},
    # Exports (issue 10): delete background exports and their files after TINGJIAN_EXPORT_KEEP_DAYS, and
    # queue again a job whose message was lost or whose worker died (claiming is compare-and-set).
    "exports-housekeeping": {"task": "exports.tasks.housekeeping", "schedule": 300.0},
    # C14: after a month ends, last month's draft summary for every department that lacks one
    # (idempotent, catches up: any hour after the 1st makes what is missing).
    "complaints-monthly-summaries": {"task": "complaints.tasks.generate_monthly_summaries", "schedule": 3600.0},
    # C15: after a quarter ends, QA's draft analysis of the last quarter for every company that lacks one.
    "complaints-quarterly-analyses": {"task": "complaints.tasks.generate_quarterly_analyses", "schedule": 3600.0},
    # F1: complaints logged through the complaints app's own intake stand in the register too (idempotent:
    # one entry per complaint); every minute it looks at the newest complaints, once a day at all of them.
    "feedback-mirror-complaints": {"task": "feedback.tasks.mirror_complaints", "schedule": 60.0},
    "feedback-mirror-complaints-full": {
        "task": "feedback.tasks.mirror_complaints",
        "schedule": 86400.0,
        "kwargs": {"full": True},
    },
    # F2: after a month ends, each office's draft archive of the month (idempotent, catches up missed months).
    "feedback-monthly-archives": {"task": "feedback.tasks.generate_monthly_archives", "schedule": 3600.0},
    # S2: from the third month of a half year, remind offices of communities with no survey round yet
    # (one notification per community and half year, so running it often sends nothing twice).
    "surveys-half-year-reminders": {"task": "surveys.tasks.remind_half_year_rounds", "schedule": 3600.0},
    # Q1: one QA check per office, standard in use and month (or quarter), opened with the figures the
    # product knows; idempotent, catches up missed periods.
    "inspections-open-checks": {"task": "inspections.tasks.open_checks", "schedule": 3600.0},
}
