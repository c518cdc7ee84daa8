from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People and teams"

    def ready(self):
        # auth connects the failed-log-in counter; lookups registers an integer `in` that
        # leaves out numbers no row can hold.
        from people import auth, lookups  # noqa: F401
