"""Inserting tens of thousands of rows at the speed of the database, for imports.

Django's `bulk_create` passes every value through the SQL compiler, which costs far more than the
database does for a large file. `bulk_insert` prepares one INSERT statement and runs it for many rows
at once (executemany), converting each value with its field's own `get_db_prep_save` (plain text and
numbers, which need no converting, are passed as they are). The instances get no primary keys back:
read them back by a unique key. Callers insert only into their own app's tables, like any write.
"""

from collections.abc import Sequence
from typing import Any

from django.db import connections, models, router

# Field types whose Python values (str, int, float or None) are already what the database stores.
PLAIN_TYPES = frozenset(
    {
        "CharField",
        "TextField",
        "EmailField",
        "SlugField",
        "FloatField",
        "IntegerField",
        "SmallIntegerField",
        "BigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "PositiveBigIntegerField",
        "ForeignKey",
    }
)
PLAIN_VALUES = (str, int, float)
BULK_INSERT_BATCH_ROWS = 2000


def bulk_insert(
    model: type[models.Model], objects: Sequence[models.Model], *, batch_rows: int = BULK_INSERT_BATCH_ROWS
) -> int:
    """Insert these unsaved instances of `model` (with an automatic primary key). Returns how many."""
    if not objects:
        return 0
    connection = connections[router.db_for_write(model)]
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    # Names come from the model's own meta, quoted; every value is a parameter.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    plain = [field.get_internal_type() in PLAIN_TYPES for field in fields]
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch_rows):
            rows = [_row(obj, fields, plain, connection) for obj in objects[start : start + batch_rows]]
            cursor.executemany(sql, rows)
    return len(objects)


def _row(obj: models.Model, fields: list[Any], plain: list[bool], connection: Any) -> tuple[Any, ...]:
    values = []
    for field, is_plain in zip(fields, plain, strict=True):
        value = field.pre_save(obj, True)
        if value is None or (is_plain and type(value) in PLAIN_VALUES):
            values.append(value)
        else:
            values.append(field.get_db_prep_save(value, connection))
    return tuple(values)
