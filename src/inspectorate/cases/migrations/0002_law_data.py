"""The law as data: 安全生产法's fine bands, the national default benchmark and the national
default procedural rules (each with its source and effective dates).

Amendments of the law come as new migrations that close a row (``effective_until``) and add
its successor, so cases keep being judged by the rule in force when the act happened.
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations


def load(apps, schema_editor):
    from inspectorate.cases.law_data import DEFAULT_BENCHMARK, PROVISIONS
    from inspectorate.cases.rules import DEFAULT_RULES

    Provision = apps.get_model("cases", "Provision")
    Benchmark = apps.get_model("cases", "Benchmark")
    ProcedureRules = apps.get_model("cases", "ProcedureRules")
    for row in PROVISIONS:
        data = dict(row)
        data["effective_from"] = dt.date.fromisoformat(data["effective_from"])
        Provision.objects.create(**data)
    Benchmark.objects.create(
        jurisdiction_code="",
        code=DEFAULT_BENCHMARK["code"],
        name=DEFAULT_BENCHMARK["name"],
        source=DEFAULT_BENCHMARK["source"],
        effective_from=dt.date.fromisoformat(DEFAULT_BENCHMARK["effective_from"]),
        bands=DEFAULT_BENCHMARK["bands"],
        mitigated_floor=Decimal(DEFAULT_BENCHMARK["mitigated_floor"]),
        round_to=DEFAULT_BENCHMARK["round_to"],
    )
    ProcedureRules.objects.create(**DEFAULT_RULES)


def unload(apps, schema_editor):
    for name in ("ProcedureRules", "Benchmark", "Provision"):
        apps.get_model("cases", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
