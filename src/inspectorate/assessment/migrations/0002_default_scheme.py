"""The national default assessment scheme (a province may publish its own)."""

from decimal import Decimal

from django.db import migrations

from inspectorate.assessment.law_data import DEFAULT_SCHEME


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    Scheme = apps.get_model("assessment", "Scheme")
    data = dict(DEFAULT_SCHEME)
    for key in (
        "overturned_points",
        "missed_points",
        "band_excellent",
        "band_competent",
        "band_basic",
        "excellent_quota",
    ):
        data[key] = Decimal(str(data[key]))
    Scheme.objects.update_or_create(
        jurisdiction_code="", year=data.pop("year"), defaults=data
    )


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("assessment", "Scheme").objects.filter(jurisdiction_code="").delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]

    operations = [migrations.RunPython(load, unseed)]
