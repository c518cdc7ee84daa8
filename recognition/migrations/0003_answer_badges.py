"""The badges for accepted answers to colleagues' questions: their rules, and their rows."""

from django.db import migrations, models

from recognition.seed import seed_badges

RULES = ("first-answer", "answers-10")


def seed(apps, schema_editor):
    seed_badges(apps, rules=RULES)


def unseed(apps, schema_editor):
    # Their awards go with them (cascade): the rules no longer exist to explain them.
    apps.get_model("recognition", "Badge").objects.filter(rule__in=RULES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("recognition", "0002_seed"),
    ]

    operations = [
        migrations.AlterField(
            model_name="badge",
            name="rule",
            field=models.CharField(
                choices=[
                    ("first-kudos", "First kudos received"),
                    ("kudos-10", "10 kudos received"),
                    ("kudos-50", "50 kudos received"),
                    ("giver-10", "10 kudos given"),
                    ("first-article", "First article published"),
                    ("verifier-5", "5 articles verified"),
                    ("track-done", "Completed a training track"),
                    ("mentor-trained", "Completed mentor training"),
                    ("presenter", "Presented at a session"),
                    ("mentor-done", "Completed a mentorship as mentor"),
                    ("first-praise", "First customer praise"),
                    ("first-answer", "First accepted answer"),
                    ("answers-10", "10 accepted answers"),
                ],
                max_length=20,
                unique=True,
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
