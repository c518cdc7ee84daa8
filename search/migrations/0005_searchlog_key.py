import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_searchlog_opened_document"),
    ]

    operations = [
        # Added without a default first: a callable default would give every existing row
        # the same key. Older rows keep none (NULLs never collide).
        migrations.AddField(
            model_name="searchlog",
            name="key",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="searchlog",
            name="key",
            field=models.UUIDField(blank=True, default=uuid.uuid4, editable=False, null=True),
        ),
        migrations.AddConstraint(
            model_name="searchlog",
            constraint=models.UniqueConstraint(
                fields=("key",), name="search_searchlog_one_per_key"
            ),
        ),
    ]
