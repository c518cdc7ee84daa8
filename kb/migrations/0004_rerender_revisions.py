"""Re-render every stored revision: author ids now carry the `user-content-` prefix and only
the renderer's own classes survive (kb.rendering). Rendering is stored per revision, so old
revisions would otherwise keep the classes and ids an author wrote."""

from django.db import migrations


def rerender(apps, schema_editor):
    # The current renderer on purpose: what it produces is what every revision should hold.
    from kb.rendering import render_markdown

    ArticleRevision = apps.get_model("kb", "ArticleRevision")
    for revision in ArticleRevision.objects.only("pk", "body").iterator(chunk_size=200):
        rendered = render_markdown(revision.body)
        ArticleRevision.objects.filter(pk=revision.pk).update(
            rendered_html=rendered.html, toc_html=rendered.toc_html, body_text=rendered.text
        )


class Migration(migrations.Migration):
    dependencies = [("kb", "0003_field_help_texts")]

    operations = [migrations.RunPython(rerender, migrations.RunPython.noop)]
