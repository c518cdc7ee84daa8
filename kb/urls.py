from django.urls import path

from kb import views
from kb.views import authoring, reading, suggestions

app_name = "kb"
urlpatterns = [
    path("", views.article_list, name="article-list"),
    path("new/", views.article_create, name="article-create"),
    path("review/", views.review_queue, name="review-queue"),
    path("mine/", views.my_articles, name="my-articles"),
    path("following/", views.following, name="following"),
    path("tags/", views.tag_list, name="tag-list"),
    path("verification/", views.verification_due, name="verification-due"),
    path("c/<slug:category_slug>/", views.article_list, name="category"),
    path("c/<slug:category_slug>/follow/", views.category_follow, name="category-follow"),
    path("a/<slug:slug>/", views.article_detail, name="article-detail"),
    path("a/<slug:slug>/edit/", views.article_edit, name="article-edit"),
    path("a/<slug:slug>/submit/", views.article_submit, name="article-submit"),
    path("a/<slug:slug>/approve/", views.article_approve, name="article-approve"),
    path("a/<slug:slug>/send-back/", views.article_send_back, name="article-send-back"),
    path("a/<slug:slug>/archive/", views.article_archive, name="article-archive"),
    path("a/<slug:slug>/unarchive/", views.article_unarchive, name="article-unarchive"),
    path("a/<slug:slug>/follow/", views.article_follow, name="article-follow"),
    path("a/<slug:slug>/revisions/", views.revision_list, name="revision-list"),
    path("a/<slug:slug>/revisions/<int:number>/", views.revision_detail, name="revision-detail"),
    path(
        "a/<slug:slug>/revisions/<int:number>/restore/",
        views.revision_restore,
        name="revision-restore",
    ),
    path("a/<slug:slug>/compare/", views.revision_compare, name="revision-compare"),
    path("a/<slug:slug>/verify/", views.article_verify, name="article-verify"),
    path("a/<slug:slug>/feedback/", views.feedback_give, name="feedback"),
    path("a/<slug:slug>/comments/", views.comment_add, name="comment-add"),
    path("a/<slug:slug>/comments/<int:pk>/resolve/", views.comment_resolve, name="comment-resolve"),
    path("a/<slug:slug>/attachments/", views.attachment_add, name="attachment-add"),
    path("a/<slug:slug>/attachments/<int:pk>/<str:name>", views.attachment, name="attachment"),
    # The editor: live preview, and images pasted or dropped into it.
    path("preview/", authoring.markdown_preview, name="markdown-preview"),
    path("uploads/", authoring.upload, name="upload"),
    path("files/<int:pk>/<str:name>", reading.file, name="file"),
    # Suggested edits.
    path("a/<slug:slug>/suggest/", suggestions.suggestion_create, name="suggestion-create"),
    path(
        "a/<slug:slug>/suggestions/<int:pk>/",
        suggestions.suggestion_detail,
        name="suggestion-detail",
    ),
    path(
        "a/<slug:slug>/suggestions/<int:pk>/accept/",
        suggestions.suggestion_accept,
        name="suggestion-accept",
    ),
    path(
        "a/<slug:slug>/suggestions/<int:pk>/decline/",
        suggestions.suggestion_decline,
        name="suggestion-decline",
    ),
]
