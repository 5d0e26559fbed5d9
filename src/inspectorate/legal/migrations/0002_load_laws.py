"""The laws of ``legal/texts/`` (legal.law_data.LAWS), one version each, with their articles."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from inspectorate.legal.law_data import LAWS, SOURCE, TEXTS_DIR
    from inspectorate.legal.parsing import parse

    law_model = apps.get_model("legal", "Law")
    version_model = apps.get_model("legal", "LawVersion")
    article_model = apps.get_model("legal", "Article")
    for row in LAWS:
        parsed = parse((TEXTS_DIR / row["file"]).read_text(encoding="utf-8"), row.get("max_article"))
        law, _ = law_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "title": row.get("title") or parsed.title,
                "short_title": row["short_title"],
                "kind": row["kind"],
                "issuer": row["issuer"],
                "sort": row["sort"],
            },
        )
        law.concerns_sectors.set(row["sectors"])
        version, created = version_model.objects.get_or_create(
            law=law,
            effective_on=row["effective_on"],
            defaults={
                "label": row["label"],
                "promulgated_on": row["promulgated_on"],
                "history": parsed.history,
                "source": SOURCE,
                "added_on": datetime.date(2026, 1, 1),
            },
        )
        if created:
            article_model.objects.bulk_create(
                article_model(
                    law_version=version,
                    number=article.number,
                    suffix=article.suffix,
                    label=article.label,
                    chapter=article.chapter,
                    text=article.text,
                    sort=index,
                )
                for index, article in enumerate(parsed.articles, start=1)
            )


def unload(apps: Any, schema_editor: Any) -> None:
    from inspectorate.legal.law_data import LAWS

    law_model = apps.get_model("legal", "Law")
    for law in law_model.objects.filter(code__in=[row["code"] for row in LAWS]):
        for version in law.versions.all():
            version.articles.all().delete()
            version.delete()
        law.delete()


class Migration(migrations.Migration):
    dependencies = [("legal", "0001_initial"), ("registry", "0002_load_sectors")]

    operations = [migrations.RunPython(load, unload)]
