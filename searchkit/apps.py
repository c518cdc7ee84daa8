from django.apps import AppConfig


class SearchkitConfig(AppConfig):
    name = "searchkit"
    verbose_name = "Search engine"
