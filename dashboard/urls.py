from django.urls import path

from dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("nav/review-count/", views.review_count, name="review-count"),
]
