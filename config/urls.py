"""Top-level URLs. Each app owns its prefix; /api/ collects every app's API router."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from config.api_docs import docs_view
from mentorship.api import PairingViewSet
from notifications.api import NotificationViewSet
from people.api import PersonViewSet
from people.views import LoginView
from recognition.api import KudosViewSet
from search.api import SearchAPIView

router = DefaultRouter()
router.register("people", PersonViewSet, basename="person")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("pairings", PairingViewSet, basename="pairing")
router.register("kudos", KudosViewSet, basename="kudos")

api_patterns = [
    *router.urls,
    path("search/", SearchAPIView.as_view(), name="search"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs_view(url_name="api:schema"), name="docs"),
]

# Only the signed-in account views: people are created by admins, not by self sign-up.
account_patterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
]

urlpatterns = [
    path("accounts/", include(account_patterns)),
    path("people/", include("people.urls")),
    path("kb/", include("kb.urls")),
    path("search/", include("search.urls")),
    path("questions/", include("questions.urls")),
    path("training/", include("training.urls")),
    path("mentorship/", include("mentorship.urls")),
    path("kudos/", include("recognition.urls")),
    path("notifications/", include("notifications.urls")),
    path("api/", include((api_patterns, "api"))),
    path("admin/", admin.site.urls),
    path("", include("dashboard.urls")),
]
