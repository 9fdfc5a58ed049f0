"""The topics become the patient's plain answers to "What is it about?". Old values move to
the nearest new one: a question for the clinician and technical help to "Something else"
(answered by the clinic's default team), medical records to "A form or letter"."""

from typing import Any

from django.db import migrations, models

FORWARD = {"clinical": "other", "technical": "other", "records": "forms"}
BACKWARD = {"other": "clinical", "forms": "records", "result": "clinical", "medicines": "clinical"}


def _move(apps: Any, moves: dict[str, str]) -> None:
    thread_model = apps.get_model("messaging", "Thread")
    team_model = apps.get_model("messaging", "CareTeam")
    for old, new in moves.items():
        thread_model.objects.filter(topic=old).update(topic=new)
    for team in team_model.objects.all():
        topics = sorted({moves.get(topic, topic) for topic in team.topics})
        if topics != team.topics:
            team.topics = topics
            team.save(update_fields=["topics"])


def forward(apps: Any, schema_editor: Any) -> None:
    _move(apps, FORWARD)


def backward(apps: Any, schema_editor: Any) -> None:
    _move(apps, BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("messaging", "0005_thread_about_statement")]

    operations = [
        migrations.AlterField(
            model_name="thread",
            name="topic",
            field=models.CharField(
                choices=[
                    ("result", "A question about a result"),
                    ("medicines", "Medicines and refills"),
                    ("appointments", "Appointments"),
                    ("billing", "Bills and insurance"),
                    ("forms", "A form or letter"),
                    ("other", "Something else"),
                ],
                max_length=12,
                verbose_name="topic",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
