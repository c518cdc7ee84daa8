from django.urls import path, register_converter

from search import views


class LogConverter:
    """A search's log in a result link: its key (a UUID, made before the row is written) or,
    in links from before keys, the row's id."""

    regex = r"[0-9]{1,11}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


register_converter(LogConverter, "log")
app_name = "search"
urlpatterns = [
    path("", views.search, name="search"),
    path("suggest/", views.suggest, name="suggest"),
    path("open/<log:log_id>/<int:article_id>/", views.open_result, name="open"),
    # Any indexed model's result ("questions.question"), checked through the index registry.
    path("open/<log:log_id>/<str:label>/<int:pk>/", views.open_document, name="open-document"),
    path("insights/", views.insights, name="insights"),
    path("synonyms/", views.synonym_list, name="synonym-list"),
    path("synonyms/<int:pk>/delete/", views.synonym_delete, name="synonym-delete"),
    path("requests/", views.request_list, name="request-list"),
    path("requests/new/", views.request_create, name="request-create"),
    path("requests/ask/", views.request_ask, name="request-ask"),
    path("requests/<int:pk>/assign/", views.request_assign, name="request-assign"),
    path("requests/<int:pk>/link/", views.request_link, name="request-link"),
    path("requests/<int:pk>/decline/", views.request_decline, name="request-decline"),
]
