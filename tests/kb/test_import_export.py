"""import_articles and export_articles: Markdown files with YAML front matter, in and out."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from kb import services
from kb.models import Article, ArticleRevision

pytestmark = pytest.mark.django_db

GOOD = "---\ntitle: Good one\ncategory: billing\n---\nThe body.\n"


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _import(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("import_articles", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _rows() -> tuple[int, int]:
    return Article.objects.count(), ArticleRevision.objects.count()


def test_title_falls_back_to_the_first_heading_which_leaves_the_body(tmp_path, category, editor):
    _write(tmp_path, "refunds.md", "---\ncategory: billing\n---\n# Issue a refund\n\nOpen it.\n")

    _import(tmp_path)

    article = Article.objects.get(slug="issue-a-refund")
    assert article.latest_revision.title == "Issue a refund"
    assert article.latest_revision.body == "Open it."


def test_title_falls_back_to_the_file_name(tmp_path, category, editor):
    _write(tmp_path, "sub/card-declined.md", "---\ncategory: billing\n---\nNo heading here.\n")

    _import(tmp_path)

    assert Article.objects.get(slug="card-declined").latest_revision.title == "card-declined"


def test_front_matter_sets_type_category_tags_owner_and_summary(
    tmp_path, category, child_category, editor, agent
):
    front = (
        "title: Card declined\nslug: declined\ntype: troubleshooting\ncategory: refunds\n"
        "tags: [cards, payments]\nowner: agent\nsummary: When the bank says no."
    )
    _write(tmp_path, "declined.md", f"---\n{front}\n---\n## Steps\n\nCall the bank.\n")

    _import(tmp_path)

    article = Article.objects.get(slug="declined")
    assert article.type == Article.Type.TROUBLESHOOTING
    assert article.category == child_category
    assert sorted(article.tags.names()) == ["cards", "payments"]
    assert (article.owner, article.author) == (agent, editor)
    assert article.latest_revision.summary == "When the bank says no."
    assert '<h2 id="user-content-steps">Steps</h2>' in article.latest_revision.rendered_html


def test_tags_may_be_a_comma_separated_text(tmp_path, category, editor):
    _write(tmp_path, "a.md", "---\ncategory: billing\ntags: cards, payments ,\n---\nBody.\n")

    _import(tmp_path)

    assert sorted(Article.objects.get(slug="a").tags.names()) == ["cards", "payments"]


def test_imports_are_drafts_by_default(tmp_path, category, editor):
    _import(_write(tmp_path, "good.md", GOOD))

    article = Article.objects.get(slug="good-one")
    assert article.status == Article.Status.DRAFT
    assert article.published_revision is None


@pytest.mark.parametrize(
    ("text", "args"),
    [(GOOD, ("--publish",)), (GOOD.replace("---\nThe", "status: published\n---\nThe"), ())],
    ids=["publish-flag", "status-in-file"],
)
def test_published_imports_end_published_with_their_latest_revision(
    tmp_path, category, editor, text, args
):
    _import(_write(tmp_path, "good.md", text), *args)

    article = Article.objects.get(slug="good-one")
    assert article.status == Article.Status.PUBLISHED
    assert article.published_revision_id == article.latest_revision_id
    assert article.submitted_at is None


def test_publishing_as_a_non_editor_is_refused_before_anything_is_saved(
    tmp_path, category, editor, agent
):
    _write(tmp_path, "a.md", GOOD)
    _write(tmp_path, "b.md", "---\ncategory: billing\nstatus: published\n---\nB.\n")

    with pytest.raises(CommandError, match="not a KB editor"):
        _import(tmp_path, "--author", "agent")
    with pytest.raises(CommandError, match="not a KB editor"):
        _import(tmp_path / "a.md", "--author", "agent", "--publish")

    assert _rows() == (0, 0)


def test_rerun_with_a_changed_body_adds_a_revision(tmp_path, category, editor):
    path = _write(tmp_path, "good.md", GOOD)
    _import(path)
    path.write_text(GOOD.replace("The body.", "The new body."), encoding="utf-8")

    report = _import(path)

    article = Article.objects.get(slug="good-one")
    assert "updated: 1" in report
    assert article.revisions.count() == 2
    assert article.latest_revision.body == "The new body."
    assert Article.objects.count() == 1


def test_rerun_of_an_unchanged_file_makes_no_revision(tmp_path, category, editor):
    path = _write(tmp_path, "good.md", GOOD.replace("---\nThe", "status: published\n---\nThe"))
    _import(path)
    before = _rows()

    report = _import(path)

    assert "created: 0, updated: 0, unchanged: 1, skipped: 0" in report
    assert _rows() == before


def test_rerun_with_only_new_metadata_updates_without_a_revision(tmp_path, category, editor):
    path = _write(tmp_path, "good.md", GOOD)
    _import(path)
    path.write_text(GOOD.replace("---\nThe", "tags: [cards]\n---\nThe"), encoding="utf-8")

    report = _import(path)

    article = Article.objects.get(slug="good-one")
    assert "updated: 1" in report
    assert list(article.tags.names()) == ["cards"]
    assert article.revisions.count() == 1


def test_a_second_file_with_the_same_slug_is_skipped(tmp_path, category, editor):
    _write(tmp_path, "a.md", GOOD)
    _write(tmp_path, "b.md", GOOD.replace("The body.", "Another body."))

    report = _import(tmp_path)

    assert "skipped: b.md: slug 'good-one' is also used by a.md" in report
    assert Article.objects.get().latest_revision.body == "The body."


BROKEN = {
    "invalid-yaml": ("---\ntitle: [unclosed\n---\nBody.\n", "invalid YAML"),
    "not-a-mapping": ("---\n- a list\n---\nBody.\n", "not a mapping"),
    "unknown-category": ("---\ncategory: nowhere\n---\nBody.\n", "unknown category 'nowhere'"),
    "unknown-owner": ("---\ncategory: billing\nowner: ghost\n---\nB.\n", "unknown owner 'ghost'"),
    "unknown-type": ("---\ncategory: billing\ntype: poem\n---\nBody.\n", "unknown type 'poem'"),
    "long-title": (f"---\ncategory: billing\ntitle: {'x' * 201}\n---\nB.\n", "title is longer"),
    "empty-body": ("---\ncategory: billing\n---\n\n# Only a title\n", "body is empty"),
    "huge-body": ("---\ncategory: billing\n---\n" + "x" * 100_001, "body is longer"),
}


@pytest.mark.parametrize(("text", "reason"), BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_file_is_skipped_with_its_reason_and_the_others_import(
    tmp_path, category, editor, text, reason
):
    _write(tmp_path, "a-good.md", GOOD)
    _write(tmp_path, "broken.md", text)
    _write(tmp_path, "z-good.md", GOOD.replace("Good one", "Also good"))

    report = _import(tmp_path)

    skipped = [line for line in report.splitlines() if line.startswith("skipped: broken.md: ")]
    assert len(skipped) == 1
    assert reason in skipped[0]
    assert "created: 2, updated: 0, unchanged: 0, skipped: 1" in report
    assert _rows() == (2, 2)


def test_a_file_failing_halfway_leaves_nothing_of_it_saved(tmp_path, category, editor, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError("Approval refused.")

    _write(tmp_path, "a.md", GOOD)
    monkeypatch.setattr(services, "article_publish", refuse)

    report = _import(tmp_path, "--publish")

    assert "skipped: a.md: Approval refused." in report
    assert _rows() == (0, 0)


def test_dry_run_saves_nothing(tmp_path, category, editor):
    _write(tmp_path, "a.md", GOOD)

    report = _import(tmp_path, "--dry-run", "--publish")

    assert "Dry run" in report
    assert "created: 1" in report
    assert _rows() == (0, 0)


def test_markup_in_front_matter_and_body_is_text_and_neutralised_on_the_page(
    tmp_path, category, editor, client
):
    front = (
        "title: '<script>alert(\"t\")</script>'\nslug: xss\ncategory: billing\n"
        "summary: '<img src=x onerror=alert(2)>'"
    )
    body = "<script>alert(3)</script>\n\n<img src=x onerror=alert(4)>\n\n[x](javascript:alert(5))"
    _write(tmp_path, "xss.md", f"---\n{front}\n---\n{body}\n")
    _import(tmp_path)
    article = Article.objects.get(slug="xss")
    client.force_login(editor)

    page = client.get(article.get_absolute_url()).content.decode()

    assert article.latest_revision.title == '<script>alert("t")</script>'
    assert article.latest_revision.body == body
    # Shown as text (escaped) at most, never as an attribute of a tag.
    assert not re.search(r"<[^>]*onerror=", page)
    assert "javascript:" not in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    # The only scripts are the site's own files.
    assert all(tag.startswith('<script src="/static/') for tag in re.findall(r"<script[^>]*", page))
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;" in page


def test_a_path_that_does_not_exist_is_an_error(tmp_path, editor):
    with pytest.raises(CommandError, match="does not exist"):
        _import(tmp_path / "missing")


def _state() -> dict:
    return {
        a.slug: (
            a.revisions.count(),
            a.status,
            a.published_revision_id,
            a.latest_revision_id,
            a.type,
            a.category_id,
            a.owner_id,
            a.visibility,
            sorted(a.tags.names()),
            sorted(a.teams.values_list("pk", flat=True)),
            a.submitted_at,
            a.updated_at,
        )
        for a in Article.objects.all()
    }


def test_export_then_import_changes_nothing(
    tmp_path, make_article, category, child_category, agent, editor, team
):
    make_article(author=agent, title="A draft", tags=["cards"])
    make_article(author=agent, title="Refund steps", category=child_category, approved_by=editor)
    pending = make_article(author=agent, title="Pending edit", approved_by=editor)
    services.article_update(
        article=pending, editor=agent, content={"title": "Edited", "body": "New."}, meta={}
    )
    make_article(
        author=agent, title="Team only", visibility="teams", teams=[team], approved_by=editor
    )
    before = _state()

    call_command("export_articles", category="billing", out=str(tmp_path), stdout=StringIO())
    report = _import(tmp_path)

    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{slug}.md" for slug in sorted(before)]
    assert "created: 0, updated: 0, unchanged: 4, skipped: 0" in report
    assert _state() == before


def test_export_of_a_restricted_article_keeps_its_teams(tmp_path, restricted_article):
    call_command("export_articles", article=restricted_article.slug, out=str(tmp_path / "out"))

    text = (tmp_path / "out" / f"{restricted_article.slug}.md").read_text(encoding="utf-8")
    assert "title: Escalation contacts\n" in text
    assert "status: published\n" in text
    assert "visibility: teams\nteams:\n- billing\n" in text
    assert text.endswith("---\n\n## Contacts\n\nCall the billing lead.\n")


@pytest.mark.parametrize("option", ["article", "category"])
def test_export_of_an_unknown_slug_is_an_error(tmp_path, db, option):
    with pytest.raises(CommandError, match=r"No \w+ with slug 'nope'"):
        call_command("export_articles", **{option: "nope"}, out=str(tmp_path))


# Publishing on import tells no reviewer that anything waits


def test_publishing_on_import_asks_no_editor_for_a_review(tmp_path, category, editor):
    from notifications.models import Notification
    from people.models import Role
    from tests.factories import UserFactory

    UserFactory(username="second-editor", roles=[Role.KB_EDITOR])
    _write(tmp_path, "a.md", GOOD)
    _write(tmp_path, "b.md", GOOD.replace("Good one", "Another one"))

    report = _import(tmp_path, "--publish", "--author", editor.username)

    assert "created: 2" in report
    assert Article.objects.published().count() == 2
    assert not Notification.objects.filter(kind="kb.review").exists()
    assert not Article.objects.awaiting_review().exists()


def test_demo_seeding_leaves_the_editor_review_notices_only_for_what_waits(db, search_index):
    from notifications.models import Notification
    from people.models import User

    call_command("seed_demo", verbosity=0)

    editor = User.objects.get(username="editor")
    waiting = {a.get_absolute_url() for a in Article.objects.awaiting_review()}
    notices = Notification.objects.filter(recipient=editor, kind="kb.review", read_at=None)
    assert waiting
    assert {n.url for n in notices} <= waiting
    assert notices.count() <= len(waiting)
