"""Two partial indexes on other apps' tables for the upper-level dashboard (measured with
bench/bench_oversight.py; see docs/oversight.md):

* ``deadline_open_kind_due_idx`` on core_deadline: the running deadlines of a kind by due
  date ("cases near their limits"), without reading the met and cancelled ones (most of
  the table);
* ``inspection_planned_closed_idx`` on inspections_inspection: the planned visit and the
  state of the inspections made for a plan ("plan executed"), so that counting the visits
  done reads a small index and not the inspections' rows.

They belong to core.Deadline and inspections.Inspection; they are created here by SQL that
SQLite and PostgreSQL both accept, until those models declare them (``IF NOT EXISTS``: this
migration then changes nothing).
"""

from django.db import migrations

DEADLINE = (
    "CREATE INDEX IF NOT EXISTS deadline_open_kind_due_idx "
    "ON core_deadline (kind, due_date, jurisdiction_code) "
    "WHERE met_at IS NULL AND cancelled_at IS NULL"
)
INSPECTION = (
    "CREATE INDEX IF NOT EXISTS inspection_planned_closed_idx "
    "ON inspections_inspection (planned_visit_id, state) "
    "WHERE planned_visit_id IS NOT NULL"
)


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0002_default_scoring_sheet"),
        ("core", "0009_alter_recordevent_kind"),
        ("inspections", "0003_default_checklists"),
    ]

    operations = [
        migrations.RunSQL(DEADLINE, "DROP INDEX IF EXISTS deadline_open_kind_due_idx"),
        migrations.RunSQL(INSPECTION, "DROP INDEX IF EXISTS inspection_planned_closed_idx"),
    ]
