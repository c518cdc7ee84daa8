from django.urls import path

from training.views import crosstraining, editor, learning, sessions, team

app_name = "training"

urlpatterns = [
    # The catalogue and the track editor.
    path("", editor.catalogue, name="catalogue"),
    path("tracks/new/", editor.track_create, name="track-create"),
    path("tracks/<slug:slug>/edit/", editor.track_edit, name="track-edit"),
    path("tracks/<slug:slug>/publish/", editor.track_publish, name="track-publish"),
    path("tracks/<slug:slug>/steps/add/", editor.step_add, name="step-add"),
    path("tracks/<slug:slug>/steps/<int:pk>/edit/", editor.step_edit, name="step-edit"),
    path("tracks/<slug:slug>/steps/<int:pk>/move/", editor.step_move, name="step-move"),
    path("tracks/<slug:slug>/steps/<int:pk>/remove/", editor.step_remove, name="step-remove"),
    path(
        "tracks/<slug:slug>/steps/<int:pk>/questions/add/",
        editor.question_add,
        name="question-add",
    ),
    path(
        "tracks/<slug:slug>/steps/<int:pk>/questions/<int:question>/edit/",
        editor.question_edit,
        name="question-edit",
    ),
    path(
        "tracks/<slug:slug>/steps/<int:pk>/questions/<int:question>/remove/",
        editor.question_remove,
        name="question-remove",
    ),
    # Learning.
    path("mine/", learning.my_training, name="mine"),
    path("tracks/<slug:slug>/", learning.track_detail, name="track-detail"),
    path("tracks/<slug:slug>/enrol/", learning.track_enrol, name="track-enrol"),
    path("tracks/<slug:slug>/withdraw/", learning.track_withdraw, name="track-withdraw"),
    path("tracks/<slug:slug>/steps/<int:pk>/", learning.step_detail, name="step-detail"),
    path("tracks/<slug:slug>/steps/<int:pk>/done/", learning.step_done, name="step-done"),
    path("tracks/<slug:slug>/steps/<int:pk>/quiz/", learning.quiz_submit, name="quiz-submit"),
    path("attempts/<int:pk>/", learning.attempt_detail, name="attempt-detail"),
    path("reviews/", learning.task_reviews, name="task-reviews"),
    path("reviews/<int:pk>/confirm/", learning.task_confirm, name="task-confirm"),
    path("certificates/<str:code>/", learning.certificate, name="certificate"),
    # Assigning and the manager's team page.
    path("tracks/<slug:slug>/assign/", team.track_assign, name="track-assign"),
    path("team/", team.team_progress, name="team"),
    path("team/progress.csv", team.team_progress_csv, name="team-csv"),
    # Knowledge-sharing sessions.
    path("sessions/", sessions.session_list, name="session-list"),
    path("sessions/new/", sessions.session_create, name="session-create"),
    path("sessions/calendar/", sessions.calendar_settings, name="calendar-settings"),
    path("sessions/calendar/<str:token>.ics", sessions.calendar_feed, name="calendar-feed"),
    path("sessions/<slug:slug>/", sessions.session_detail, name="session-detail"),
    path("sessions/<slug:slug>/edit/", sessions.session_edit, name="session-edit"),
    path("sessions/<slug:slug>/signup/", sessions.session_signup, name="session-signup"),
    path("sessions/<slug:slug>/leave/", sessions.session_leave, name="session-leave"),
    path("sessions/<slug:slug>/cancel/", sessions.session_cancel, name="session-cancel"),
    path("sessions/<slug:slug>/session.ics", sessions.session_ics, name="session-ics"),
    path(
        "sessions/<slug:slug>/attendance/", sessions.session_attendance, name="session-attendance"
    ),
    path("sessions/<slug:slug>/notes/", sessions.session_notes, name="session-notes"),
    path(
        "sessions/<slug:slug>/notes/article/",
        sessions.session_notes_article,
        name="session-article",
    ),
    # Cross-training and external learning.
    path("rotations/", crosstraining.rotation_list, name="rotation-list"),
    path("rotations/new/", crosstraining.rotation_create, name="rotation-create"),
    path("rotations/<int:pk>/", crosstraining.rotation_detail, name="rotation-detail"),
    path("rotations/<int:pk>/decide/", crosstraining.rotation_decide, name="rotation-decide"),
    path("rotations/<int:pk>/cancel/", crosstraining.rotation_cancel, name="rotation-cancel"),
    path("rotations/<int:pk>/reflect/", crosstraining.rotation_reflect, name="rotation-reflect"),
    path("rotations/<int:pk>/confirm/", crosstraining.rotation_confirm, name="rotation-confirm"),
    path("rotations/<int:pk>/share/", crosstraining.rotation_share, name="rotation-share"),
    path("external/", crosstraining.external_list, name="external-list"),
    path("external/new/", crosstraining.external_create, name="external-create"),
    path("external/<int:pk>/", crosstraining.external_detail, name="external-detail"),
    path("external/<int:pk>/edit/", crosstraining.external_edit, name="external-edit"),
    path("external/<int:pk>/decide/", crosstraining.external_decide, name="external-decide"),
    path("external/<int:pk>/share/", crosstraining.external_share, name="external-share"),
]
