"""Data: the supervised-sector classes (CAPABILITIES §1; LEGAL-RULES §3; 部令10号 Art. 2)."""

from django.db import migrations

SECTORS = [
    # code, name, English name, category, high risk
    ("hazchem_production", "危险化学品生产", "Hazardous chemicals — production", "hazchem", True),
    ("hazchem_business", "危险化学品经营", "Hazardous chemicals — business", "hazchem", True),
    ("hazchem_storage", "危险化学品储存", "Hazardous chemicals — storage", "hazchem", True),
    ("hazchem_use", "危险化学品使用", "Hazardous chemicals — use", "hazchem", True),
    ("noncoal_mine", "非煤矿山", "Non-coal mines", "mining", True),
    ("fireworks", "烟花爆竹", "Fireworks", "fireworks", True),
    ("metallurgy", "冶金", "Metallurgy", "industry_trade", True),
    ("nonferrous", "有色", "Non-ferrous metals", "industry_trade", False),
    ("building_materials", "建材", "Building materials", "industry_trade", False),
    ("machinery", "机械", "Machinery", "industry_trade", False),
    ("light_industry", "轻工", "Light industry", "industry_trade", False),
    ("textile", "纺织", "Textiles", "industry_trade", False),
    ("tobacco", "烟草", "Tobacco", "industry_trade", False),
    ("commerce", "商贸", "Commerce and trade", "industry_trade", False),
    ("petroleum", "石油", "Petroleum", "petroleum", True),
    ("other", "其他", "Other", "other", False),
]


def load(apps, schema_editor):
    Sector = apps.get_model("registry", "Sector")
    for sort, (code, name, name_en, category, high_risk) in enumerate(SECTORS, start=1):
        Sector.objects.update_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "category": category,
                      "high_risk": high_risk, "sort": sort},
        )


def unload(apps, schema_editor):
    apps.get_model("registry", "Sector").objects.filter(code__in=[s[0] for s in SECTORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
