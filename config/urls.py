"""Top-level URLs. Each app owns its prefix; /api/ collects every app's API router."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from config.api_docs import SchemaView, docs_view
from kb import api as kb_api
from mentorship import api as mentorship_api
from notifications import api as notifications_api
from people import api as people_api
from people.views import LoginView
from questions import api as questions_api
from recognition import api as recognition_api
from search import api as search_api
from training import api as training_api

# Each app's api module lists its routes; the router and the schema collect them here.
API_MODULES = [
    people_api,
    notifications_api,
    kb_api,
    search_api,
    questions_api,
    training_api,
    mentorship_api,
    recognition_api,
]
router = DefaultRouter()
for module in API_MODULES:
    for prefix, viewset, basename in module.ROUTES:
        router.register(prefix, viewset, basename=basename)

api_patterns = [
    *router.urls,
    *(route for module in API_MODULES for route in module.PATHS),
    path("schema/", SchemaView.as_view(), name="schema"),
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
