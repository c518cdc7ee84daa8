from django.urls import path

from people import token_views, views

app_name = "people"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("teams/", views.team_list, name="team-list"),
    path("teams/<slug:slug>/", views.team_detail, name="team-detail"),
    path("my-team/", views.my_team, name="my-team"),
    path("mention-suggest/", views.mention_suggest, name="mention-suggest"),
    path("tokens/", token_views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke, name="token-revoke"),
    path("u/<str:username>/", views.profile, name="profile"),
    path("u/<str:username>/edit/", views.profile_edit, name="profile-edit"),
]
