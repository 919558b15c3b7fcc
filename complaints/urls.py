from django.urls import path

from . import views
from .rules import Action

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("new/", views.complaint_create, name="create"),
    path("return-visits/", views.return_visit_queue, name="return_visits"),
    path("work-log/", views.work_log, name="work_log"),
    path("<int:complaint_id>/", views.complaint_detail, name="detail"),
    path("<int:complaint_id>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment_download"),
]
# One POST URL per action; the action travels as a fixed view argument, not a path parameter, so the
# only URL kwargs are pk and attachment_id (registered in tests/office_objects.py).
urlpatterns += [
    path(
        f"<int:complaint_id>/{action.value.replace('_', '-')}/",
        views.complaint_action,
        {"action": action.value},
        name=f"act_{action.value}",
    )
    for action in Action
]
urlpatterns += [
    path(f"<int:complaint_id>/record/{record}/", views.complaint_record, {"record": record}, name=f"record_{record}")
    for record in ("f1", "f2", "special")
]
