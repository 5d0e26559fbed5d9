"""Data: default classification rules and the equipment sectors need (LEGAL-RULES §3).

The yearly maxima are the caps Shanxi published for 2025 under the policy of limiting
inspections of enterprises; no national scheme with minimum frequencies exists, so the
minima and the days per inspection are this system's defaults, to be set by each province.
These rows have no province: they apply wherever a province has no rules of its own.
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations

MAX_SOURCE = (
    "上限：山西省 2025 年分类分级执法检查频次（LEGAL-RULES §3，"
    "http://aqsx.sxkjnews.com/news/show.php?itemid=5199）"
)
OWN_SOURCE = "下限与每次检查天数：本系统默认值（国家未作规定，LEGAL-RULES §3、§4），由省级设定"
HAZCHEM_LIKE = "；烟花爆竹、石油按危化类对待（山西表未列）"

STANDARDISATION_HIGH = {"level1": (0, 2), "level2": (0, 4), "level3": (0, 8), "none": (1, 12)}
STANDARDISATION_LOW = {"level1": (0, 1), "level2": (0, 2), "level3": (0, 4), "none": (0, 6)}
MINE_RISK = {"low": (0, 1), "general": (0, 1), "significant": (1, 2), "major": (2, 4)}

# sector -> (basis, classes, days per inspection, extra source note)
SECTORS = {
    "hazchem_production": ("standardisation", STANDARDISATION_HIGH, "1.5", ""),
    "hazchem_business": ("standardisation", STANDARDISATION_HIGH, "1.0", ""),
    "hazchem_storage": ("standardisation", STANDARDISATION_HIGH, "1.0", ""),
    "hazchem_use": ("standardisation", STANDARDISATION_HIGH, "1.0", ""),
    "metallurgy": ("standardisation", STANDARDISATION_HIGH, "1.5", ""),
    "nonferrous": ("standardisation", STANDARDISATION_HIGH, "1.0", ""),
    "fireworks": ("standardisation", STANDARDISATION_HIGH, "1.5", HAZCHEM_LIKE),
    "petroleum": ("standardisation", STANDARDISATION_HIGH, "1.5", HAZCHEM_LIKE),
    "noncoal_mine": ("risk", MINE_RISK, "1.5", ""),
    "building_materials": ("standardisation", STANDARDISATION_LOW, "0.5", ""),
    "machinery": ("standardisation", STANDARDISATION_LOW, "0.5", ""),
    "light_industry": ("standardisation", STANDARDISATION_LOW, "0.5", ""),
    "textile": ("standardisation", STANDARDISATION_LOW, "0.5", ""),
    "tobacco": ("standardisation", STANDARDISATION_LOW, "0.5", ""),
    "commerce": ("standardisation", STANDARDISATION_LOW, "0.5", ""),
    "other": ("standardisation", STANDARDISATION_LOW, "0.5", ""),
}

EQUIPMENT_SOURCE = (
    "本系统默认值：危化、石油现场需便携式气体检测仪；非煤矿山边坡与尾矿库需无人机；"
    "烟花爆竹库区需防爆执法记录仪。由省级设定"
)
EQUIPMENT = [
    ("hazchem_production", "gas_detector"),
    ("hazchem_storage", "gas_detector"),
    ("hazchem_use", "gas_detector"),
    ("petroleum", "gas_detector"),
    ("noncoal_mine", "drone"),
    ("fireworks", "ex_camera"),
]


def load(apps, schema_editor):
    Rule = apps.get_model("planning", "ClassificationRule")
    SectorEquipment = apps.get_model("planning", "SectorEquipment")
    rows = []
    for sector, (basis, classes, days, note) in SECTORS.items():
        for value, (low, high) in classes.items():
            rows.append(
                Rule(
                    province=None,
                    sector_id=sector,
                    basis=basis,
                    class_value=value,
                    min_per_year=low,
                    max_per_year=high,
                    days_per_inspection=Decimal(days),
                    effective_from=dt.date(2025, 1, 1),
                    source=f"{MAX_SOURCE}{note}；{OWN_SOURCE}",
                )
            )
    Rule.objects.bulk_create(rows, ignore_conflicts=True)  # idempotent: tests reload it
    SectorEquipment.objects.bulk_create(
        (SectorEquipment(sector_id=s, kind=k, source=EQUIPMENT_SOURCE) for s, k in EQUIPMENT),
        ignore_conflicts=True,
    )


def unload(apps, schema_editor):
    apps.get_model("planning", "ClassificationRule").objects.filter(province=None).delete()
    apps.get_model("planning", "SectorEquipment").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0001_initial"),
        ("registry", "0002_load_sectors"),
    ]
    operations = [migrations.RunPython(load, unload)]
