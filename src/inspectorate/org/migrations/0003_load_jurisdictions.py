"""Data: every province, prefecture and county by GB/T 2260 code (org/data/README.md)."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "gbt2260.csv"


def load(apps, schema_editor):
    Jurisdiction = apps.get_model("org", "Jurisdiction")
    with DATA.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    Jurisdiction.objects.bulk_create(
        [Jurisdiction(code=r["code"], name=r["name"], level=r["level"]) for r in rows],
        batch_size=1000,
        ignore_conflicts=True,
    )
    parents = {r["code"]: r["parent_code"] for r in rows if r["parent_code"]}
    objs = list(Jurisdiction.objects.filter(code__in=parents))
    for obj in objs:
        obj.parent_id = parents[obj.code]
    Jurisdiction.objects.bulk_update(objs, ["parent"], batch_size=1000)


def unload(apps, schema_editor):
    Jurisdiction = apps.get_model("org", "Jurisdiction")
    Jurisdiction.objects.filter(level="county").delete()
    Jurisdiction.objects.filter(level="prefecture").delete()
    Jurisdiction.objects.filter(level="province").delete()


class Migration(migrations.Migration):
    dependencies = [("org", "0002_cross_app_foreign_keys")]
    operations = [migrations.RunPython(load, unload)]
