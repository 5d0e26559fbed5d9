"""Data: the accident grades of 生产安全事故报告和调查处理条例 (国务院令第493号) Art. 3.

"以上" includes the number and "以下" excludes it (Art. 3 ¶3): each row holds a grade's
"以上" thresholds; the highest grade one of whose thresholds is reached decides.
"""

from django.db import migrations

BASIS = "《生产安全事故报告和调查处理条例》（国务院令第493号）第三条第一款"
RULES = [
    # grade, rank, deaths from, serious injuries from, direct loss from (yuan), item
    ("general", 1, 0, 0, 0, "第（四）项"),
    ("larger", 2, 3, 10, 10_000_000, "第（三）项"),
    ("major", 3, 10, 50, 50_000_000, "第（二）项"),
    ("especially_major", 4, 30, 100, 100_000_000, "第（一）项"),
]
EFFECTIVE_FROM = "2007-06-01"


def load(apps, schema_editor):
    Rule = apps.get_model("accidents", "AccidentGradeRule")
    for grade, rank, deaths, injuries, loss, item in RULES:
        Rule.objects.update_or_create(
            grade=grade,
            effective_from=EFFECTIVE_FROM,
            defaults={
                "rank": rank,
                "min_deaths": deaths,
                "min_serious_injuries": injuries,
                "min_direct_loss": loss,
                "legal_basis": BASIS + item,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("accidents", "AccidentGradeRule").objects.filter(
        effective_from=EFFECTIVE_FROM
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("accidents", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
