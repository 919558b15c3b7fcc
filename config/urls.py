from django.contrib import admin
from django.urls import include, path

from web import auth_views, password_reset

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Before Django's own: the throttled login and the outbox-sent password reset (web.auth_views).
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/password_reset/", password_reset.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("calendar/", include("clock.urls")),
    path("estates/", include("estates.urls")),
    path("complaints/", include("complaints.urls")),
    path("feedback/", include("feedback.urls")),
    path("surveys/", include("surveys.urls")),
    # S7: the residents' answer links and S19's public results pages (no account).
    path("s/", include("surveys.public_urls")),
    path("inspections/", include("inspections.urls")),
    path("exports/", include("exports.urls")),
    path("", include("web.urls")),
]
