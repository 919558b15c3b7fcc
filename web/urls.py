from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("supervised/", views.supervised, name="supervised"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read-all/", views.inbox_mark_all_read, name="inbox_mark_all_read"),
    path("inbox/<int:notification_id>/open/", views.notification_open, name="notification_open"),
    path("healthz", views.healthz, name="healthz"),
]
