from django.urls import path

from . import views

app_name = "clock"

# No object ids: a company day is addressed by its date, a year by its number (POSTed or ?year=).
urlpatterns = [
    path("", views.overview, name="overview"),
    path("settings/", views.settings_update, name="settings"),
    path("year/", views.year_enter, name="year"),
    path("days/add/", views.day_add, name="day_add"),
    path("days/remove/", views.day_remove, name="day_remove"),
]
