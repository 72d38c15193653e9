"""ListRow loses its generated `id_bytes` column: computing it made COPY re-form every row
(about a third of the load's COPY time). The loader's quick check now takes the ID number's
bytes with textsend() in the validation scan instead (loading._fast_ok)."""

from django.db import migrations

FORWARD = "ALTER TABLE crosscheck_listrow DROP COLUMN IF EXISTS id_bytes;"
BACKWARD = r"""
ALTER TABLE crosscheck_listrow ADD COLUMN id_bytes bytea
    GENERATED ALWAYS AS (decode(replace(id_number, '\', '\\'), 'escape')) STORED;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("crosscheck", "0005_fewer_warning_key_checks"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
