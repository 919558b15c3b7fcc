from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("<uuid:token>/", views.download, name="download"),
]
