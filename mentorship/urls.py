from django.urls import path

from mentorship.views import home, matching, pairings, plans, programs, team

app_name = "mentorship"

urlpatterns = [
    # My mentoring and my mentoring profile.
    path("", home.my_mentoring, name="home"),
    path("profile/", home.profile_edit, name="profile-edit"),
    # Programmes.
    path("programmes/", programs.program_list, name="program-list"),
    path("programmes/<slug:slug>/", programs.program_detail, name="program-detail"),
    path("programmes/<slug:slug>/edit/", programs.program_edit, name="program-edit"),
    path("programmes/<slug:slug>/join/", programs.program_join, name="program-join"),
    path("programmes/<slug:slug>/leave/", programs.program_leave, name="program-leave"),
    path("programmes/<slug:slug>/report/", team.program_report, name="report"),
    path("programmes/<slug:slug>/report.csv", team.program_report_csv, name="report-csv"),
    # Matching: suggestions with their explanation, requests, assignment, the cohort.
    path("programmes/<slug:slug>/suggestions/", matching.my_suggestions, name="suggestions"),
    path(
        "programmes/<slug:slug>/suggestions/<str:username>/",
        matching.suggestions_for,
        name="suggestions-for",
    ),
    path(
        "programmes/<slug:slug>/request/<str:username>/",
        matching.mentor_request,
        name="request",
    ),
    path("programmes/<slug:slug>/assign/", matching.mentor_assign, name="assign"),
    path("programmes/<slug:slug>/cohort/", matching.cohort_proposal, name="cohort"),
    # A pairing: its lifecycle.
    path("pairings/<int:pk>/", pairings.pairing_detail, name="pairing-detail"),
    path("pairings/<int:pk>/accept/", pairings.pairing_accept, name="pairing-accept"),
    path("pairings/<int:pk>/decline/", pairings.pairing_decline, name="pairing-decline"),
    path("pairings/<int:pk>/withdraw/", pairings.pairing_withdraw, name="pairing-withdraw"),
    path("pairings/<int:pk>/end/", pairings.pairing_end, name="pairing-end"),
    path("pairings/<int:pk>/extend/", pairings.pairing_extend, name="pairing-extend"),
    path("pairings/<int:pk>/complete/", pairings.pairing_complete, name="pairing-complete"),
    path("pairings/<int:pk>/feedback/", pairings.pairing_feedback, name="pairing-feedback"),
    # A pairing's plan: goals, milestones, meetings and their action items.
    path("pairings/<int:pk>/goals/add/", plans.goal_add, name="goal-add"),
    path("pairings/<int:pk>/goals/<int:goal>/edit/", plans.goal_edit, name="goal-edit"),
    path(
        "pairings/<int:pk>/milestones/<int:milestone>/done/",
        plans.milestone_done,
        name="milestone-done",
    ),
    path("pairings/<int:pk>/meetings/add/", plans.meeting_add, name="meeting-add"),
    path("pairings/<int:pk>/meetings/<int:meeting>/edit/", plans.meeting_edit, name="meeting-edit"),
    path(
        "pairings/<int:pk>/meetings/<int:meeting>/meeting.ics",
        plans.meeting_ics,
        name="meeting-ics",
    ),
    path(
        "pairings/<int:pk>/meetings/<int:meeting>/actions/add/",
        plans.action_add,
        name="action-add",
    ),
    path("pairings/<int:pk>/actions/<int:action>/done/", plans.action_done, name="action-done"),
    # Managers.
    path("team/", team.team_pairings, name="team"),
]
