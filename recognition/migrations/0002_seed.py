"""Seed the values, badges, first award and approvers' group (`recognition.seed`)."""

from django.db import migrations

from recognition.seed import seed_rows


def seed(apps, schema_editor):
    seed_rows(apps)


def unseed(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Award approver").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("recognition", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
