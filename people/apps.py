from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People and teams"

    def ready(self):
        from people import auth  # noqa: F401  (connects the failed-log-in counter)
