from django.urls import path

from dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("nav/review-count/", views.review_count, name="review-count"),
    path("insights/", views.insights, name="insights"),
    path("insights/<slug:table>.csv", views.insights_csv, name="insights-csv"),
    path("hand-over/<str:username>/", views.handover, name="handover"),
]
