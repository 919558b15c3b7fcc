from django.urls import path

from . import views

app_name = "estates"

urlpatterns = [
    path("units/", views.unit_list, name="units"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("residents/search/", views.resident_search, name="resident_search"),
    path("import/", views.import_upload, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
]
