"""ListRow becomes a table partitioned by id, one partition per list, written by COPY.

The old unpartitioned table is dropped (a list's rows are loaded again from its kept file);
the partitions are created by the loader (civil_affairs/crosscheck/loading.py).
"""

import django.db.models.deletion
from django.db import migrations, models

from civil_affairs.crosscheck.sql import DROP_FAST_FUNCTIONS, FAST_FUNCTIONS

EXTRA = ", ".join(f"x{i} text" for i in range(20))

FORWARD = f"""
DO $$
DECLARE c record;
BEGIN
  FOR c IN SELECT conname FROM pg_constraint
           WHERE conrelid = 'crosscheck_warning'::regclass AND contype = 'f'
             AND confrelid = 'crosscheck_listrow'::regclass
  LOOP
    EXECUTE format('ALTER TABLE crosscheck_warning DROP CONSTRAINT %I', c.conname);
  END LOOP;
END $$;
-- lists loaded before this change are loaded again from their kept files ("Load again")
UPDATE crosscheck_externallist SET status = 'failed', error = 'Storage changed: load again.'
 WHERE status IN ('loaded', 'retired');
DELETE FROM crosscheck_historicalwarning WHERE list_row_id IS NOT NULL;
DELETE FROM crosscheck_warning WHERE list_row_id IS NOT NULL;
DROP TABLE crosscheck_listrow;
CREATE TABLE crosscheck_listrow (
    id bigint NOT NULL,
    list_id bigint NOT NULL,
    id_number text,
    name text,
    event_date text,
    value text,
    detail text,
    {EXTRA},
    -- the ID number's bytes, for the check character (loading._fast_ok); decode() is the
    -- immutable way from text to bytea, with backslashes doubled so that they stay as sent
    id_bytes bytea GENERATED ALWAYS AS (decode(replace(id_number, '\\', '\\\\'), 'escape')) STORED
) PARTITION BY RANGE (id);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('crosscheck', '0002_functions_rules_schedule'),
    ]

    operations = [
        migrations.RunSQL(FAST_FUNCTIONS, DROP_FAST_FUNCTIONS),
        migrations.AddField(
            model_name='externallist',
            name='extra_columns',
            field=models.JSONField(default=list, help_text='Headings of x0, x1, … of its rows.', verbose_name='other columns kept'),
        ),
        migrations.AddField(
            model_name='historicalexternallist',
            name='extra_columns',
            field=models.JSONField(default=list, help_text='Headings of x0, x1, … of its rows.', verbose_name='other columns kept'),
        ),
        migrations.AlterField(
            model_name='rejectedrow',
            name='problem',
            field=models.CharField(choices=[('missing', 'is empty'), ('id_length', 'does not have 18 characters'), ('id_format', 'is not 17 digits followed by a digit or X'), ('id_birth_date', 'holds an impossible birth date'), ('id_birth_future', 'holds a birth date in the future'), ('id_checksum', 'has a wrong check character'), ('bad_date', 'is not a date (YYYY-MM-DD)'), ('bad_amount', 'is not an amount'), ('too_long', 'is too long'), ('columns', 'has a different number of columns than the heading (found/heading)')], max_length=20, verbose_name='problem'),
        ),
        migrations.AddField(
            model_name='externallist',
            name='last_row',
            field=models.PositiveIntegerField(default=0, help_text="The number of the file's last row.", verbose_name='last row'),
        ),
        migrations.AddField(
            model_name='historicalexternallist',
            name='last_row',
            field=models.PositiveIntegerField(default=0, help_text="The number of the file's last row.", verbose_name='last row'),
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(FORWARD)],
            state_operations=[
                migrations.RemoveConstraint(
                    model_name='listrow',
                    name='crosscheck_row_once',
                ),
                migrations.RemoveField(
                    model_name='listrow',
                    name='row_number',
                ),
                migrations.AddField(
                    model_name='listrow',
                    name='x0',
                    field=models.TextField(blank=True, editable=False, null=True),
                ),
                migrations.AddField(
                    model_name='listrow',
                    name='x1',
                    field=models.TextField(blank=True, editable=False, null=True),
                ),
                migrations.AddField(
                    model_name='listrow',
                    name='x10',
                    field=models.TextField(blank=True, editable=False, null=True),
                ),
                migrations.AddField(
                    model_name='listrow',
                    name='x11',
                    field=models.TextField(blank=True, editable=False, null=True),
                ),
                migrations.AddField(
                    model_name='listrow',
                    name='x12',
                    field=models.TextField(blank=True, editable=False, null=True),
                ),
                migrations.AddField(
                    model_name='listrow',
                    name='x13',
                    field=models.TextField(blank=True, editable=False, null=True),
                ),
                migrations.AddField(
                    model_name='listrow',
                    name='x14',
                    field=models.TextField(blank=True, editable=False, null=True),
                ),
                migrations.AddField(
                    model_name='listrow',
                    name='x15',
                    field=models.TextField(blank=True, editable=False, null=True),
                ),
                migrations.AddField(
                    model_name='listrow',
                    name='x16',
                    field=models.TextField(blank=True, editable=False, null=True),
                ),
                migrations.AddField(
                    model_name='listrow',
                    name='x17',
                    field=models.TextField(blank=True, editable=False, null=True),
                ),
                migrations.AddField(
                    model_name='listrow',
                    name='x18',
                    field=models.TextField(blank=True, editable=False, null=True),
                ),
                migrations.AddField(
                    model_name='listrow',
                    name='x19',
                    field=models.TextField(blank=True, editable=False, null=True),
                ),
                migrations.AddField(
                    model_name='listrow',
                    name='x2',
                    field=models.TextField(blank=True, editable=False, null=True),
                ),
                migrations.AddField(
                    model_name='listrow',
                    name='x3',
                    field=models.TextField(blank=True, editable=False, null=True),
                ),
                migrations.AddField(
                    model_name='listrow',
                    name='x4',
                    field=models.TextField(blank=True, editable=False, null=True),
                ),
                migrations.AddField(
                    model_name='listrow',
                    name='x5',
                    field=models.TextField(blank=True, editable=False, null=True),
                ),
                migrations.AddField(
                    model_name='listrow',
                    name='x6',
                    field=models.TextField(blank=True, editable=False, null=True),
                ),
                migrations.AddField(
                    model_name='listrow',
                    name='x7',
                    field=models.TextField(blank=True, editable=False, null=True),
                ),
                migrations.AddField(
                    model_name='listrow',
                    name='x8',
                    field=models.TextField(blank=True, editable=False, null=True),
                ),
                migrations.AddField(
                    model_name='listrow',
                    name='x9',
                    field=models.TextField(blank=True, editable=False, null=True),
                ),
                migrations.AlterField(
                    model_name='listrow',
                    name='detail',
                    field=models.TextField(blank=True, null=True, verbose_name='detail'),
                ),
                migrations.AlterField(
                    model_name='listrow',
                    name='event_date',
                    field=models.TextField(blank=True, null=True, verbose_name='date'),
                ),
                migrations.AlterField(
                    model_name='listrow',
                    name='id',
                    field=models.BigIntegerField(primary_key=True, serialize=False),
                ),
                migrations.AlterField(
                    model_name='listrow',
                    name='id_number',
                    field=models.TextField(null=True, verbose_name='ID number'),
                ),
                migrations.AlterField(
                    model_name='listrow',
                    name='list',
                    field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='rows', to='crosscheck.externallist', verbose_name='list'),
                ),
                migrations.AlterField(
                    model_name='listrow',
                    name='name',
                    field=models.TextField(blank=True, null=True, verbose_name='name'),
                ),
                migrations.AlterField(
                    model_name='listrow',
                    name='value',
                    field=models.TextField(blank=True, null=True, verbose_name='value'),
                ),
                migrations.AlterField(
                    model_name='warning',
                    name='list_row',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='warnings', to='crosscheck.listrow', verbose_name='list row'),
                ),
            ],
        ),
    ]
