"""The transfer triggers of LEGAL-RULES §1.4 (referrals.law_data.TRIGGERS)."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from inspectorate.referrals.law_data import TRIGGERS

    trigger_model = apps.get_model("referrals", "ReferralTrigger")
    for row in TRIGGERS:
        trigger_model.objects.update_or_create(
            code=row["code"], effective_from=row["effective_from"], defaults=row
        )


def unload(apps: Any, schema_editor: Any) -> None:
    from inspectorate.referrals.law_data import TRIGGERS

    trigger_model = apps.get_model("referrals", "ReferralTrigger")
    for row in TRIGGERS:
        trigger_model.objects.filter(
            code=row["code"], effective_from=row["effective_from"]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
