"""Seed the system's default case-file scoring sheet (oversight.sheet_data)."""

from django.db import migrations

from inspectorate.oversight import sheet_data


class Migration(migrations.Migration):
    dependencies = [("oversight", "0001_initial")]

    operations = [migrations.RunPython(sheet_data.load, sheet_data.unload)]
