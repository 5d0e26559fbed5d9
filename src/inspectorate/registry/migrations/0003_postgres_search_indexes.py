"""PostgreSQL only: trigram (pg_trgm) GIN indexes for the enterprise name search.

The registry search is ``name LIKE '%term%' OR address LIKE '%term%' OR credit_code LIKE
'TERM%'`` (``selectors.enterprise_list_for_user``). Without these indexes PostgreSQL reads
every row in the user's scope for it: over a million enterprises, seconds per request. With
them, a term of three or more characters is answered from the indexes.

pg_trgm only makes trigrams of characters that the database's LC_CTYPE classes as letters
or digits: with ``LC_CTYPE 'C'`` it makes none of Chinese text and the indexes cannot help
(the results stay right: the rows are always rechecked). Use a UTF-8 locale such as
``C.UTF-8``, ``en_US.UTF-8`` or ``zh_CN.UTF-8``. A one- or two-character term has no
trigram at all, so it is answered without the indexes (docs/benchmarks.md has the figures).

pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it. SQLite
needs nothing; there the migration does nothing. Reversing it drops the indexes and keeps
the extension (something else may use it).
"""

from django.db import migrations

INDEXES = [
    ("enterprise_name_trgm_idx", "name"),
    ("enterprise_address_trgm_idx", "address"),
]


def _table(apps, schema_editor):
    enterprise = apps.get_model("registry", "Enterprise")
    return schema_editor.quote_name(enterprise._meta.db_table)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    table = _table(apps, schema_editor)
    for name, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {schema_editor.quote_name(name)} "
            f"ON {table} USING gin ({schema_editor.quote_name(column)} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0002_load_sectors"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
