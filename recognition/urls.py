from django.urls import path

from recognition.views import (
    badges,
    give,
    kudos,
    leaderboard,
    me,
    nominations,
    praise,
    rewards,
    team,
    wall,
)

app_name = "recognition"

urlpatterns = [
    # The wall, giving kudos, and one kudos with its reactions, comments and report.
    path("", wall.wall, name="wall"),
    path("give/", give.kudos_give, name="give"),
    path("people/", give.people_lookup, name="people-lookup"),
    path("<int:pk>/", kudos.kudos_detail, name="kudos-detail"),
    path("<int:pk>/react/<str:kind>/", kudos.kudos_react, name="kudos-react"),
    path("<int:pk>/comment/", kudos.kudos_comment, name="kudos-comment"),
    path("<int:pk>/report/", kudos.kudos_report, name="kudos-report"),
    path("<int:pk>/story/", praise.kudos_promote, name="kudos-promote"),
    # Leaderboards, values, badges.
    path("leaderboard/", leaderboard.leaderboard, name="leaderboard"),
    path("values/", badges.value_list, name="values"),
    path("badges/", badges.badge_list, name="badges"),
    # My recognition, and a manager's team.
    path("me/", me.my_recognition, name="me"),
    path("team/", team.team_recognition, name="team"),
    # Customer praise and success stories.
    path("praise/new/", praise.praise_create, name="praise-create"),
    path("praise/<int:pk>/", praise.praise_detail, name="praise-detail"),
    path("praise/<int:pk>/story/", praise.praise_promote, name="praise-promote"),
    path("stories/<int:pk>/", praise.story_detail, name="story-detail"),
    path("stories/<int:pk>/article/", praise.story_article, name="story-article"),
    # Rewards and redemptions.
    path("rewards/", rewards.reward_list, name="rewards"),
    path("rewards/<slug:slug>/redeem/", rewards.reward_redeem, name="reward-redeem"),
    path("redemptions/", rewards.redemption_list, name="redemption-list"),
    path("redemptions/<int:pk>/decide/", rewards.redemption_decide, name="redemption-decide"),
    # Nominations for periodic awards.
    path("nominations/", nominations.nomination_list, name="nomination-list"),
    path("nominations/new/", nominations.nomination_create, name="nomination-create"),
    path("nominations/<int:pk>/", nominations.nomination_detail, name="nomination-detail"),
    path("nominations/<int:pk>/decide/", nominations.nomination_decide, name="nomination-decide"),
]
