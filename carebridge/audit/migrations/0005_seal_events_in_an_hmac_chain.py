"""Seal the audit trail like a transparency log (docs/adr/0003).

An event's id becomes its `sequence` (given by the database, no lock); seals (position, event,
HMAC chain hash) are kept in their own insert-only table, and a queue lists events waiting for
theirs. Events recorded before this release carried a SHA-256 chain: it is checked here (the
migration stops if it is broken, as `verify-audit` of the previous release would) and every old
event is then sealed in its old order with `CAREBRIDGE_AUDIT_KEY`. The next migration drops the
old chain's columns.
"""

import hashlib

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

from carebridge.audit.chain import audit_key, chain_hash

GENESIS = "0" * 64
BATCH = 2000


def _legacy_hash(event):
    parts = [
        event.prev_hash,
        str(event.legacy_sequence),
        event.occurred_at.isoformat(timespec="microseconds"),
        str(event.actor_id or ""),
        event.actor_label,
        str(event.patient_id or ""),
        event.acting_as,
        event.action,
        event.object_type,
        event.object_id,
        event.outcome,
        event.ip,
        event.user_agent,
        event.request_id,
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _check_legacy_link(event, position, previous):
    if (
        event.legacy_sequence != position
        or event.prev_hash != previous
        or _legacy_hash(event) != event.hash
    ):
        raise RuntimeError(
            f"The old audit chain is broken at event {position}: run `carebridge verify-audit` "
            "with the previous release, and investigate before upgrading."
        )


def seal_legacy_events(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditSeal = apps.get_model("audit", "AuditSeal")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    key, now = audit_key(), timezone.now()
    position, legacy_previous, head = 0, GENESIS, GENESIS
    batch = []
    for event in AuditEvent.objects.order_by("legacy_sequence").iterator(chunk_size=BATCH):
        position += 1
        _check_legacy_link(event, position, legacy_previous)
        legacy_previous, head = event.hash, chain_hash(head, event, key=key)
        batch.append(AuditSeal(position=position, event=event, chain_hash=head, sealed_at=now))
        if len(batch) == BATCH:
            AuditSeal.objects.bulk_create(batch)
            batch = []
    AuditSeal.objects.bulk_create(batch)
    AuditChainHead.objects.update_or_create(
        pk=1, defaults={"position": position, "chain_hash": head}
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_proxy_actions")]

    operations = [
        migrations.RenameField("auditevent", "sequence", "legacy_sequence"),
        migrations.RenameField("auditevent", "id", "sequence"),
        migrations.AlterField(
            model_name="auditevent",
            name="sequence",
            field=models.BigAutoField(primary_key=True, serialize=False),
        ),
        migrations.RenameField("auditchainhead", "sequence", "position"),
        migrations.RenameField("auditchainhead", "hash", "chain_hash"),
        migrations.CreateModel(
            name="AuditSeal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveBigIntegerField(unique=True)),
                ("chain_hash", models.CharField(max_length=64)),
                ("sealed_at", models.DateTimeField()),
                (
                    "event",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="seal",
                        to="audit.auditevent",
                    ),
                ),
            ],
            options={"abstract": False},
        ),
        migrations.CreateModel(
            name="AuditPendingEvent",
            fields=[
                (
                    "event",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="audit.auditevent",
                    ),
                ),
            ],
        ),
        migrations.RunPython(seal_legacy_events, migrations.RunPython.noop),
    ]
