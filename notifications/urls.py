from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("unread-count/", views.unread_count, name="unread-count"),
    path("read-all/", views.notification_mark_all_read, name="mark-all-read"),
    path("<int:pk>/read/", views.notification_mark_read, name="mark-read"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("preferences/", views.notification_preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.digest_unsubscribe, name="unsubscribe"),
]
