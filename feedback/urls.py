from django.urls import path

from .views import archive, exports, outreach, public, register, settings

app_name = "feedback"

urlpatterns = [
    # The register (F1)
    path("", register.register, name="register"),
    path("new/", register.entry_create, name="create"),
    path("export.xlsx", exports.register_xlsx, name="register_xlsx"),
    path("print/", exports.register_print, name="register_print"),
    path("<int:entry_id>/", register.entry_detail, name="detail"),
    path("<int:entry_id>/update/", register.entry_update, name="update"),
    path("<int:entry_id>/hand-over/", register.entry_hand_over, name="hand_over"),
    # Forums and home visits (F3)
    path("outreach/", outreach.outreach_list, name="outreach_list"),
    path("outreach/new/", outreach.outreach_create, name="outreach_create"),
    path("outreach/<int:outreach_id>/", outreach.outreach_detail, name="outreach_detail"),
    path("outreach/<int:outreach_id>/opinion/", outreach.outreach_opinion, name="outreach_opinion"),
    path("outreach/<int:outreach_id>/close/", outreach.outreach_close, name="outreach_close"),
    # Monthly archive and corrective actions (F2)
    path("archives/", archive.archive_list, name="archive_list"),
    path("archives/<int:archive_id>/", archive.archive_detail, name="archive_detail"),
    path("archives/<int:archive_id>/analysis/", archive.archive_analysis, name="archive_analysis"),
    path("archives/<int:archive_id>/refresh/", archive.archive_refresh, name="archive_refresh"),
    path("archives/<int:archive_id>/approve/", archive.archive_approve, name="archive_approve"),
    path("archives/<int:archive_id>/actions/new/", archive.archive_action_create, name="archive_action_create"),
    path("archives/<int:archive_id>/print/", archive.archive_print, name="archive_print"),
    path("archives/<int:archive_id>/export.xlsx", exports.archive_xlsx, name="archive_xlsx"),
    path("actions/", archive.action_list, name="action_list"),
    path("actions/<int:action_id>/", archive.action_detail, name="action_detail"),
    path("actions/<int:action_id>/done/", archive.action_step, {"step": "done"}, name="action_done"),
    path("actions/<int:action_id>/verify/", archive.action_step, {"step": "verify"}, name="action_verify"),
    path("actions/<int:action_id>/send-back/", archive.action_step, {"step": "send_back"}, name="action_send_back"),
    # Settings: the company's categories, the offices' own state names
    path("settings/", settings.settings_page, name="settings"),
    path("settings/categories/new/", settings.category_new, name="category_new"),
    path("settings/categories/<slug:code>/", settings.category_save, name="category_save"),
    path("settings/labels/new/", settings.label_add, name="label_add"),
    path("settings/labels/<int:label_id>/retire/", settings.label_retire, name="label_retire"),
    # The resident pages' QR codes (staff side)
    path("pages/", public.page_list, name="page_list"),
    path("pages/<int:community_id>/qr.svg", public.page_qr, name="page_qr"),
    path("pages/<int:community_id>/renew/", public.page_renew_view, name="page_renew"),
    # The resident page and tracking link (public, no account)
    path("r/<str:page_key>/", public.resident_page, name="resident_page"),
    path("t/<str:token>/", public.tracking, name="tracking"),
    path("t/<str:token>/answer/", public.tracking_answer, name="tracking_answer"),
]
