from django.urls import path

from people import views

app_name = "people"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("teams/", views.team_list, name="team-list"),
    path("teams/<slug:slug>/", views.team_detail, name="team-detail"),
    path("my-team/", views.my_team, name="my-team"),
    path("mention-suggest/", views.mention_suggest, name="mention-suggest"),
    path("u/<str:username>/", views.profile, name="profile"),
    path("u/<str:username>/edit/", views.profile_edit, name="profile-edit"),
]
