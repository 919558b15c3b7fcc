"""The residents' pages, no account (mounted at /s/): answer links (S7) and results pages (S19)."""

from django.urls import path

from .views import public

app_name = "surveys_public"

urlpatterns = [
    path("results/<str:public_token>/", public.results, name="results"),
    path("<str:token>/", public.answer, name="answer"),
]
