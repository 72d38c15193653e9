"""SQL functions the loader uses to validate a list where it lies, in the database.

`crosscheck_id_problem(number, today)` is `core.validators.clean_id_number` in SQL (same
checks, same order: length, characters, birth date, future birth date, ISO 7064 MOD 11-2
check character) and returns the problem's code, or NULL for a valid number; the tests
compare the two on the same numbers. The functions are plain SQL expressions so that the
planner inlines them into the statement that loads a list.

`crosscheck_checksum_ok(bytes)` is the check character from the bytes of a number already
known to be 17 digits and a digit or X: every row goes through it when the file could not be
checked as it went to COPY (see crosscheck.quickcheck and loading._fast_ok). Only the rows that
fail the quick checks are looked at again with the functions above, which say what is wrong
or write the value the usual way.
"""

CREATE_FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION crosscheck_ymd_valid(y integer, m integer, d integer)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT y >= 1 AND m BETWEEN 1 AND 12 AND d >= 1 AND d <= CASE
    WHEN m = 2 THEN CASE WHEN (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0 THEN 29 ELSE 28 END
    WHEN m IN (4, 6, 9, 11) THEN 30
    ELSE 31 END
$$;

CREATE OR REPLACE FUNCTION crosscheck_id_problem(n text, today date)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN n IS NULL OR n = '' THEN 'missing'
    WHEN length(n) <> 18 THEN 'id_length'
    WHEN n !~ '^[0-9]{17}[0-9X]$' THEN 'id_format'
    WHEN NOT crosscheck_ymd_valid(substr(n, 7, 4)::int, substr(n, 11, 2)::int,
                                  substr(n, 13, 2)::int) THEN 'id_birth_date'
    WHEN make_date(substr(n, 7, 4)::int, substr(n, 11, 2)::int, substr(n, 13, 2)::int) > today
      THEN 'id_birth_future'
    WHEN substr('10X98765432', (
          substr(n, 1, 1)::int * 7 + substr(n, 2, 1)::int * 9 + substr(n, 3, 1)::int * 10
        + substr(n, 4, 1)::int * 5 + substr(n, 5, 1)::int * 8 + substr(n, 6, 1)::int * 4
        + substr(n, 7, 1)::int * 2 + substr(n, 8, 1)::int * 1 + substr(n, 9, 1)::int * 6
        + substr(n, 10, 1)::int * 3 + substr(n, 11, 1)::int * 7 + substr(n, 12, 1)::int * 9
        + substr(n, 13, 1)::int * 10 + substr(n, 14, 1)::int * 5 + substr(n, 15, 1)::int * 8
        + substr(n, 16, 1)::int * 4 + substr(n, 17, 1)::int * 2) % 11 + 1, 1) <> substr(n, 18, 1)
      THEN 'id_checksum'
  END
$$;

-- A date as departments write it: 2026-03-10, 2026/3/10, 2026.03.10, 20260310, 2026年3月10日,
-- optionally followed by a time. NULL when it is not one (or not a real day).
CREATE OR REPLACE FUNCTION crosscheck_date_parts(t text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN t ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}( .*)?$' THEN substr(t, 1, 10)
    WHEN t ~ '^[0-9]{8}$' THEN substr(t, 1, 4) || '-' || substr(t, 5, 2) || '-' || substr(t, 7, 2)
    ELSE regexp_replace(t,
      '^([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?([ T].*)?$', '\1-\2-\3')
  END
$$;

CREATE OR REPLACE FUNCTION crosscheck_ymd_date(p text)
RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN p ~ '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$'
    AND crosscheck_ymd_valid(split_part(p, '-', 1)::int, split_part(p, '-', 2)::int,
                             split_part(p, '-', 3)::int)
    THEN make_date(split_part(p, '-', 1)::int, split_part(p, '-', 2)::int,
                   split_part(p, '-', 3)::int)
  END
$$;

-- An amount: digits with an optional sign, thousands separators, decimals and 元/¥.
CREATE OR REPLACE FUNCTION crosscheck_amount_text(t text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN t ~ '^-?[0-9]{1,12}(\.[0-9]+)?$' THEN t
    ELSE nullif(regexp_replace(translate(t, ',，¥￥元 ', ''), '^(-?[0-9]{1,12}(\.[0-9]+)?)$|.*',
                               '\1'), '')
  END
$$;
"""

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
# Σ weight × digit = Σ weight × byte − 48 × Σ weights (4800): never negative
_CHECKSUM = " + ".join(f"get_byte(b, {i}) * {w}" for i, w in enumerate(_WEIGHTS)) + " - 4800"

FAST_FUNCTIONS = f"""
-- The bytes of an ID number already known to be 17 digits and a digit or X: is its check
-- character (ISO 7064 MOD 11-2) right?
CREATE OR REPLACE FUNCTION crosscheck_checksum_ok(b bytea)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT get_byte('10X98765432'::bytea, ({_CHECKSUM}) % 11) = get_byte(b, 17)
$$;
"""

DROP_FAST_FUNCTIONS = """
DROP FUNCTION IF EXISTS crosscheck_checksum_ok(bytea);
"""

DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS crosscheck_amount_text(text);
DROP FUNCTION IF EXISTS crosscheck_ymd_date(text);
DROP FUNCTION IF EXISTS crosscheck_date_parts(text);
DROP FUNCTION IF EXISTS crosscheck_id_problem(text, date);
DROP FUNCTION IF EXISTS crosscheck_ymd_valid(integer, integer, integer);
"""
