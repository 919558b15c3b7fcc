from django.urls import path

from .views import callbacks, catalogue, checks, exports, findings, repairs, reports, standards

app_name = "inspections"

urlpatterns = [
    # Q1 checks
    path("", checks.check_list, name="check_list"),
    path("checks/<int:check_id>/", checks.check_detail, name="check_detail"),
    path("checks/<int:check_id>/refresh/", checks.check_refresh, name="check_refresh"),
    path("checks/<int:check_id>/score/", checks.check_score_item, name="check_score_item"),
    path("checks/<int:check_id>/findings/", checks.check_add_finding, name="check_add_finding"),
    path("checks/<int:check_id>/promises/", checks.check_promise, name="check_promise"),
    path("checks/<int:check_id>/sign/", checks.check_sign, name="check_sign"),
    path("checks/<int:check_id>/letter-promises/", checks.check_letter_promise, name="check_letter_promise"),
    path("checks/<int:check_id>/print/", checks.check_print, name="check_print"),
    path("checks/<int:check_id>/export/", exports.check_export, name="check_export"),
    path("findings/<int:finding_id>/action/", findings.finding_action_set, name="finding_action_set"),
    path("findings/<int:finding_id>/done/", findings.finding_action_done, name="finding_action_done"),
    path("findings/<int:finding_id>/verify/", findings.finding_action_verify, name="finding_action_verify"),
    path("findings/<int:finding_id>/send-back/", findings.finding_action_send_back, name="finding_action_send_back"),
    path("findings/<int:finding_id>/photos/", findings.finding_photo_add, name="finding_photo_add"),
    path("photos/<int:photo_id>/", findings.finding_photo, name="finding_photo"),
    # Q1 standards
    path("standards/", standards.standard_list, name="standard_list"),
    path("standards/new/", standards.standard_create, name="standard_create"),
    path("standards/<int:standard_id>/", standards.standard_detail, name="standard_detail"),
    path("standards/<int:standard_id>/in-use/", standards.standard_active, name="standard_active"),
    path("standards/<int:standard_id>/item/", standards.standard_item_save, name="standard_item_save"),
    path("standards/<int:standard_id>/item/remove/", standards.standard_item_remove, name="standard_item_remove"),
    path("standards/<int:standard_id>/section/", standards.standard_section_save, name="standard_section_save"),
    path("standards/<int:standard_id>/pass-mark/", standards.standard_pass_mark, name="standard_pass_mark"),
    # Q1/Q2 call-backs
    path("callbacks/", callbacks.sample_list, name="sample_list"),
    path("callbacks/draw/", callbacks.sample_draw, name="sample_draw"),
    path("callbacks/<int:callback_sample_id>/", callbacks.sample_detail, name="sample_detail"),
    path("callbacks/calls/<int:callback_id>/", callbacks.callback_record, name="callback_record"),
    # Q4 repairs
    path("repairs/", repairs.repair_list, name="repair_list"),
    path("repairs/new/", repairs.repair_create, name="repair_create"),
    path("repairs/from-register/", repairs.repair_import, name="repair_import"),
    path("repairs/<int:repair_id>/visit/", repairs.repair_visit, name="repair_visit"),
    # Q5 services
    path("services/", catalogue.offering_list, name="offering_list"),
    path("services/new/", catalogue.offering_create, name="offering_create"),
    path("services/<int:offering_id>/", catalogue.offering_edit, name="offering_edit"),
    path("services/community/<int:community_id>/qr.svg", catalogue.community_qr, name="community_qr"),
    path("services/community/<int:community_id>/", catalogue.community_page_open, name="community_page"),
    path("s/<str:token>/", catalogue.public_services, name="public_services"),
    # Reports
    path("scorecard/", reports.scorecard, name="scorecard"),
    path("scorecard/export/", exports.scorecard_export, name="scorecard_export"),
    path("comparison/", reports.comparison, name="comparison"),
    path("comparison/export/", exports.comparison_export, name="comparison_export"),
]
