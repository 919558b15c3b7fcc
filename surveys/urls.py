from django.urls import path

from .views import entry, followup, questionnaires, rounds, sample, stats

app_name = "surveys"

urlpatterns = [
    path("", rounds.round_list, name="list"),
    path("new/", rounds.round_create, name="create"),
    path("company/", stats.company_statistics, name="company"),
    path("return-visits/", followup.return_visits, name="return_visits"),
    path("return-visits/<int:visit_id>/", followup.return_visit_record, name="return_visit_record"),
    path("promises/", followup.promises, name="promises"),
    path("promises/<int:promise_id>/", followup.promise_update, name="promise_update"),
    path("questionnaires/", questionnaires.questionnaire_list, name="questionnaires"),
    path("questionnaires/<int:questionnaire_id>/", questionnaires.questionnaire_detail, name="questionnaire"),
    path("<int:round_id>/", rounds.round_detail, name="round"),
    path("<int:round_id>/plan/", rounds.plan_edit, name="plan_edit"),
    path("<int:round_id>/plan/print/", rounds.plan_print, name="plan_print"),
    path("<int:round_id>/sample/", sample.sample_list, name="sample"),
    path("<int:round_id>/sample/hand-out/", sample.sample_handout, name="handout"),
    path("<int:round_id>/sample/collect/", sample.sample_collect, name="collect"),
    path("<int:round_id>/sample/<int:sample_id>/swap/", sample.sample_swap, name="swap"),
    path("<int:round_id>/sample/<int:sample_id>/check/", sample.sample_check, name="check"),
    path("<int:round_id>/forms/", sample.forms_print, name="forms_print"),
    path("<int:round_id>/entry/", entry.entry_next, name="entry_next"),
    path("<int:round_id>/entry/<int:sample_id>/", entry.entry, name="entry"),
    path("<int:round_id>/entry/<int:sample_id>/second/", entry.entry_second, name="entry_second"),
    path("<int:round_id>/entry/<int:sample_id>/correct/", entry.entry_correct, name="entry_correct"),
    path("<int:round_id>/statistics/", stats.statistics, name="statistics"),
    path("<int:round_id>/statistics/table.xlsx", stats.table_xlsx, name="table_xlsx"),
    path("<int:round_id>/report/", stats.report_print, name="report"),
    path("<int:round_id>/letter/", followup.letter, name="letter"),
    path("<int:round_id>/letter/print/", followup.letter_print, name="letter_print"),
]
# One POST URL per action; the action is a fixed view argument, so the only URL kwargs are ids.
urlpatterns += [
    path(f"<int:round_id>/{key.replace('_', '-')}/", rounds.round_action, {"action": key}, name=f"act_{key}")
    for key in rounds.ACTIONS
]
urlpatterns += [
    path(f"<int:round_id>/letter/{key}/", followup.letter_action, {"action": key}, name=f"letter_{key}")
    for key in followup.LETTER_ACTIONS
]
urlpatterns += [
    path(
        f"questionnaires/<int:questionnaire_id>/{key.replace('_', '-')}/",
        questionnaires.questionnaire_action,
        {"action": key},
        name=f"questionnaire_{key}",
    )
    for key in ("new_version", "make_default", "add", "edit")
]
