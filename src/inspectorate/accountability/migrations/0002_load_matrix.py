"""The national default responsibility matrix and review outcomes (accountability.law_data)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from inspectorate.accountability import law_data


def load(apps: Any, schema_editor: Any) -> None:
    Post = apps.get_model("accountability", "Post")
    Duty = apps.get_model("accountability", "Duty")
    OutcomeKind = apps.get_model("accountability", "OutcomeKind")
    posts = {}
    for row in law_data.POSTS:
        posts[row["code"]], _created = Post.objects.update_or_create(
            code=row["code"], defaults={k: v for k, v in row.items() if k != "code"}
        )
    for row in law_data.DUTIES:
        Duty.objects.update_or_create(
            jurisdiction_code="",
            act=row["act"],
            post=posts[row["post"]],
            defaults={
                "act_name": row["act_name"],
                "responsibility": row["responsibility"],
                "legal_basis": row["legal_basis"],
                "deadline_kind": row.get("deadline_kind", ""),
                "sort": row["sort"],
            },
        )
    for row in law_data.OUTCOMES:
        OutcomeKind.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "description": row.get("description", ""),
                "source": law_data.OUTCOME_SOURCE,
                "is_fault": row.get("is_fault", True),
                "concerns_certificate": row.get("concerns_certificate", False),
                "sort": row["sort"],
            },
        )


def unload(apps: Any, schema_editor: Any) -> None:
    apps.get_model("accountability", "Duty").objects.filter(jurisdiction_code="").delete()
    apps.get_model("accountability", "OutcomeKind").objects.all().delete()
    apps.get_model("accountability", "Post").objects.filter(
        code__in=[p["code"] for p in law_data.POSTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("accountability", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
