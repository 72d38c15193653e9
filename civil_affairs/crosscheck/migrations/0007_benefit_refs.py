"""Warnings name benefits of any app by their refs; rules for programs no app pays yet stay
out of effect by themselves; a threshold may be any app's standard; age rules may name an
exception.

Every warning raised before this migration concerned relief's entitlements (and households),
the only benefits there were: their ids become refs ("relief.entitlement:<id>",
"relief.household:<id>") in the evidence, the evidence key of checks without files (so that
a rerun still finds them and a dismissed warning stays dismissed) and the outcome of
confirmed ones. History rows keep what they recorded.
"""

from django.db import migrations, models

ENTITLEMENT = "relief.entitlement:"
HOUSEHOLD = "relief.household:"
AGE_PROGRAMS = {
    18: ["orphan_allowance", "unsupported_child_allowance"],
    80: ["old_age_allowance"],
    90: ["old_age_allowance"],
    100: ["old_age_allowance"],
}
IN_FULL_TIME_EDUCATION = "in_full_time_education"
OLD_DIBAO, NEW_DIBAO = "relief_dibao", "standard:dibao"


def rules_forward(apps, schema_editor):
    """The seeded age rules become active: each takes effect once an app pays one of its
    programs. A child turning 18 in full-time education keeps the allowance. The pension rule
    compares with the dibao standard of the shared standards table."""
    MatchRule = apps.get_model("crosscheck", "MatchRule")
    for rule in MatchRule.objects.filter(kind="age"):
        if rule.programs == AGE_PROGRAMS.get(rule.age_years) and not rule.active:
            rule.active = True
        if rule.age_years == 18 and not rule.unless_fact:
            rule.unless_fact = IN_FULL_TIME_EDUCATION
        rule.save(update_fields=["active", "unless_fact"])
    MatchRule.objects.filter(threshold_name=OLD_DIBAO).update(threshold_name=NEW_DIBAO)


def rules_backward(apps, schema_editor):
    MatchRule = apps.get_model("crosscheck", "MatchRule")
    MatchRule.objects.filter(threshold_name=NEW_DIBAO).update(threshold_name=OLD_DIBAO)
    for rule in MatchRule.objects.filter(kind="age"):
        if rule.programs == AGE_PROGRAMS.get(rule.age_years):
            rule.active = False
        rule.save(update_fields=["active"])


def _key(expression):
    """An evidence key as the matching job writes one (cut, with a hash, past 200)."""
    return (
        f"CASE WHEN length({expression}) <= 200 THEN {expression} "
        f"ELSE left({expression}, 160) || '~' || md5({expression}) END"
    )


REFS_FORWARD = f"""
UPDATE crosscheck_warning SET evidence = (evidence - 'entitlements') || jsonb_build_object(
    'benefits', (SELECT coalesce(jsonb_agg('{ENTITLEMENT}' || x ORDER BY n), '[]'::jsonb)
                 FROM jsonb_array_elements_text(evidence -> 'entitlements')
                      WITH ORDINALITY AS t(x, n)))
WHERE evidence ? 'entitlements';

UPDATE crosscheck_warning SET evidence = jsonb_set(evidence, '{{households}}',
    (SELECT coalesce(jsonb_agg('{HOUSEHOLD}' || x ORDER BY n), '[]'::jsonb)
     FROM jsonb_array_elements_text(evidence -> 'households') WITH ORDINALITY AS t(x, n)))
WHERE jsonb_typeof(evidence -> 'households') = 'array';

UPDATE crosscheck_warning w SET evidence_key = {_key("k.key")}
FROM (
    SELECT id, 'benefits:' || (
        SELECT string_agg('{ENTITLEMENT}' || x, ',' ORDER BY n)
        FROM unnest(string_to_array(substr(evidence_key, 14), ',')) WITH ORDINALITY AS t(x, n)
    ) AS key
    FROM crosscheck_warning
    WHERE list_row_id IS NULL AND evidence_key LIKE 'entitlements:%'
  UNION ALL
    SELECT id, 'households:' || (
        SELECT string_agg('{HOUSEHOLD}' || x, ',' ORDER BY n)
        FROM unnest(string_to_array(substr(evidence_key, 12), ',')) WITH ORDINALITY AS t(x, n)
    )
    FROM crosscheck_warning
    WHERE list_row_id IS NULL AND evidence_key LIKE 'households:%'
) AS k
WHERE w.id = k.id;

UPDATE crosscheck_warning SET outcome = (outcome - 'entitlements') || jsonb_build_object(
    'benefits', (SELECT coalesce(jsonb_agg(
                    (c - 'entitlement')
                    || jsonb_build_object('ref', '{ENTITLEMENT}' || (c ->> 'entitlement'))
                    ORDER BY n), '[]'::jsonb)
                 FROM jsonb_array_elements(outcome -> 'entitlements') WITH ORDINALITY AS t(c, n)))
WHERE outcome ? 'entitlements';
"""

REFS_BACKWARD = f"""
UPDATE crosscheck_warning SET evidence = (evidence - 'benefits') || jsonb_build_object(
    'entitlements', (SELECT coalesce(jsonb_agg(split_part(x, ':', 2)::bigint ORDER BY n),
                                     '[]'::jsonb)
                     FROM jsonb_array_elements_text(evidence -> 'benefits')
                          WITH ORDINALITY AS t(x, n)
                     WHERE x LIKE '{ENTITLEMENT}%'))
WHERE evidence ? 'benefits';

UPDATE crosscheck_warning SET evidence = jsonb_set(evidence, '{{households}}',
    (SELECT coalesce(jsonb_agg(split_part(x, ':', 2)::bigint ORDER BY n), '[]'::jsonb)
     FROM jsonb_array_elements_text(evidence -> 'households') WITH ORDINALITY AS t(x, n)
     WHERE x LIKE '{HOUSEHOLD}%'))
WHERE jsonb_typeof(evidence -> 'households') = 'array';

UPDATE crosscheck_warning
SET evidence_key = 'entitlements:' || replace(substr(evidence_key, 10), '{ENTITLEMENT}', '')
WHERE list_row_id IS NULL AND evidence_key LIKE 'benefits:%';

UPDATE crosscheck_warning
SET evidence_key = 'households:' || replace(substr(evidence_key, 12), '{HOUSEHOLD}', '')
WHERE list_row_id IS NULL AND evidence_key LIKE 'households:%';

UPDATE crosscheck_warning SET outcome = (outcome - 'benefits') || jsonb_build_object(
    'entitlements', (SELECT coalesce(jsonb_agg(
                        (c - 'ref') || jsonb_build_object(
                            'entitlement', split_part(c ->> 'ref', ':', 2)::bigint)
                        ORDER BY n), '[]'::jsonb)
                     FROM jsonb_array_elements(outcome -> 'benefits') WITH ORDINALITY AS t(c, n)
                     WHERE c ->> 'ref' LIKE '{ENTITLEMENT}%'))
WHERE outcome ? 'benefits';
"""


class Migration(migrations.Migration):

    dependencies = [
        ('crosscheck', '0006_list_rows_without_id_bytes'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalmatchrule',
            name='unless_fact',
            field=models.CharField(blank=True, help_text='Age events: no warning for a person of whom a paying app states this fact (in_full_time_education: a child still in full-time school).', max_length=60, verbose_name='except for'),
        ),
        migrations.AddField(
            model_name='matchrule',
            name='unless_fact',
            field=models.CharField(blank=True, help_text='Age events: no warning for a person of whom a paying app states this fact (in_full_time_education: a child still in full-time school).', max_length=60, verbose_name='except for'),
        ),
        migrations.AlterField(
            model_name='historicalmatchrule',
            name='threshold_name',
            field=models.CharField(blank=True, help_text='Only rows whose value is above this threshold are hits: a threshold of the thresholds table, or a standard.', max_length=60, verbose_name='threshold'),
        ),
        migrations.AlterField(
            model_name='historicalwarning',
            name='outcome',
            field=models.JSONField(blank=True, default=dict, help_text='What confirming it changed: benefits and overpayments.', verbose_name='outcome'),
        ),
        migrations.AlterField(
            model_name='matchrule',
            name='threshold_name',
            field=models.CharField(blank=True, help_text='Only rows whose value is above this threshold are hits: a threshold of the thresholds table, or a standard.', max_length=60, verbose_name='threshold'),
        ),
        migrations.AlterField(
            model_name='warning',
            name='outcome',
            field=models.JSONField(blank=True, default=dict, help_text='What confirming it changed: benefits and overpayments.', verbose_name='outcome'),
        ),
        migrations.RunPython(rules_forward, rules_backward),
        migrations.RunSQL(REFS_FORWARD, REFS_BACKWARD),
    ]
