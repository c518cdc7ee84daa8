from django.urls import path

from questions.views import ask, lists, promote, thread

app_name = "questions"

urlpatterns = [
    # The lists ("unanswered", "newest", "most voted", "mine", "for me") with filters.
    path("", lists.question_list, name="list"),
    # Asking, with suggestions while the title is typed; "this answered it" deflects.
    path("ask/", ask.question_ask, name="ask"),
    path("ask/suggestions/", ask.question_suggestions, name="suggestions"),
    path("ask/deflect/", ask.question_deflect, name="deflect"),
    # One question: its answers, comments and votes; new answers arrive by polling.
    path("<int:pk>/", thread.question_detail, name="detail"),
    path("<int:pk>/answers/new/", thread.answers_new, name="answers-new"),
    path("<int:pk>/answer/", thread.answer_post, name="answer"),
    path("<int:pk>/comment/", thread.question_comment, name="question-comment"),
    path("<int:pk>/vote/", thread.question_vote, name="question-vote"),
    path("<int:pk>/edit/", ask.question_edit, name="edit"),
    path("<int:pk>/history/", ask.question_history, name="history"),
    path("<int:pk>/close/", ask.question_close, name="close"),
    path("<int:pk>/promote/", promote.question_promote, name="promote"),
    path("answers/<int:pk>/edit/", thread.answer_edit, name="answer-edit"),
    path("answers/<int:pk>/history/", thread.answer_history, name="answer-history"),
    path("answers/<int:pk>/accept/", thread.answer_accept, name="answer-accept"),
    path("answers/<int:pk>/vote/", thread.answer_vote, name="answer-vote"),
    path("answers/<int:pk>/comment/", thread.answer_comment, name="answer-comment"),
]
