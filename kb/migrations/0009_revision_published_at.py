from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def date_published_revisions(apps, schema_editor):
    """Date the revision readers see now (with the article's publication date: when later
    updates went live was not recorded). The texts it replaced stay undated, so readers
    compare from the next publication on."""
    Article = apps.get_model("kb", "Article")
    ArticleRevision = apps.get_model("kb", "ArticleRevision")
    live = Article.objects.filter(published_revision=OuterRef("pk"))
    ArticleRevision.objects.filter(pk__in=Article.objects.values("published_revision")).update(
        published_at=Subquery(live.values("published_at")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0008_attachment_before_article"),
    ]

    operations = [
        migrations.AddField(
            model_name="articlerevision",
            name="published_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(date_published_revisions, migrations.RunPython.noop),
    ]
