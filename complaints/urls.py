from django.urls import path

from . import views, views_lists
from .reports import record_views
from .reports import views as report_views
from .rules import TRANSITIONS

app_name = "complaints"

urlpatterns = [
    path("", views_lists.complaint_list, name="list"),
    path("new/", views.complaint_create, name="create"),
    path("return-visits/", views_lists.return_visit_queue, name="return_visits"),
    path("work-log/", views_lists.work_log, name="work_log"),
    path("<int:complaint_id>/", views.complaint_detail, name="detail"),
    path("<int:complaint_id>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment_download"),
]
# One POST URL per action of the registry (rules.TRANSITIONS); the action travels as a fixed view
# argument, not a path parameter, so the only URL kwargs are pk and attachment_id (tests/office_objects.py).
urlpatterns += [
    path(
        f"<int:complaint_id>/{action.replace('_', '-')}/",
        views.complaint_action,
        {"action": action},
        name=f"act_{action}",
    )
    for action in map(str, TRANSITIONS)
]
urlpatterns += [
    path(f"<int:complaint_id>/record/{record}/", views.complaint_record, {"record": record}, name=f"record_{record}")
    for record in ("f1", "f2", "special")
]
# Summaries (C14, C15): complaints/reports/views.py; detail, print and export by report kind.
SUMMARY, ANALYSIS = {"kind": "summary"}, {"kind": "analysis"}
urlpatterns += [
    path("summaries/", report_views.summary_list, name="summary_list"),
    path("summaries/<int:summary_id>/", report_views.report_detail, SUMMARY, name="summary_detail"),
    path("summaries/<int:summary_id>/refresh/", report_views.report_refresh, SUMMARY, name="summary_refresh"),
    path("summaries/<int:summary_id>/approve/", report_views.report_decide, SUMMARY, name="summary_approve"),
    path("summaries/<int:summary_id>/print/", report_views.report_print, SUMMARY, name="summary_print"),
    path("summaries/<int:summary_id>/export/", report_views.report_export, SUMMARY, name="summary_export"),
    path("analyses/", report_views.analysis_list, name="analysis_list"),
    path("analyses/<int:analysis_id>/", report_views.report_detail, ANALYSIS, name="analysis_detail"),
    path("analyses/<int:analysis_id>/refresh/", report_views.report_refresh, ANALYSIS, name="analysis_refresh"),
    path("analyses/<int:analysis_id>/publish/", report_views.report_decide, ANALYSIS, name="analysis_publish"),
    path("analyses/<int:analysis_id>/print/", report_views.report_print, ANALYSIS, name="analysis_print"),
    path("analyses/<int:analysis_id>/export/", report_views.report_export, ANALYSIS, name="analysis_export"),
    path("published/", report_views.published_list, name="published"),
    path("<int:complaint_id>/publish/", report_views.complaint_publish, name="publish"),
]
# Exports and print views of the records F1, F2 and the work log (issue 3; complaints/reports/record_views.py).
urlpatterns += [
    path("work-log/export.xlsx", record_views.work_log_xlsx, name="work_log_xlsx"),
    path("work-log/print/", record_views.work_log_print, name="work_log_print"),
]
urlpatterns += (
    [
        path(
            f"<int:complaint_id>/record/{record}/export.xlsx",
            record_views.record_xlsx,
            {"record": record},
            name=f"record_{record}_xlsx",
        )
        for record in record_views.RECORDS
    ]
    + [
        path(f"export/{record}.xlsx", record_views.register_xlsx, {"record": record}, name=f"register_{record}_xlsx")
        for record in record_views.RECORDS
    ]
    + [
        path(
            f"<int:complaint_id>/record/{record}/print/",
            record_views.record_print,
            {"record": record},
            name=f"record_{record}_print",
        )
        for record in record_views.RECORDS
    ]
)
