"""Standards in set-based SQL: a payroll provider computing what is due per person and month
reads the standard in force for each row's area and month, walking up the area tree, in the
same statement (never one query per person).

    from civil_affairs.standards.sql import value_sql

    amount = value_sql(kind="%(kind)s", variant="t.tier", area_id="a.area_id", month="m.month")
    sql = f"SELECT a.person_id, m.month, {amount} AS amount FROM … "

`kind`, `variant`, `area_id` and `month` are SQL expressions of the caller's query (a param
placeholder, a column, a literal); the result is a scalar subquery, NULL when no row is in
force. The nearest area's row wins, as in selectors.find.
"""


def value_sql(*, kind: str, area_id: str, month: str, variant: str = "''") -> str:
    return f"""(
    SELECT s.value
    FROM standards_standard s
    JOIN areas_area sa ON sa.id = s.area_id
    JOIN areas_area ta ON ta.id = {area_id}
    WHERE s.kind = {kind} AND s.variant = {variant}
      AND ta.code LIKE sa.code || '%%'
      AND s.valid_from <= {month} AND (s.valid_to IS NULL OR s.valid_to >= {month})
    ORDER BY length(sa.code) DESC, s.valid_from DESC
    LIMIT 1
)"""  # noqa: S608 - the caller's own expressions, never user input
