"""A new row's values as Model.save() prepares them for its INSERT, for rows written on every API call.

Django prepares each value through the field (pre_save, then get_db_prep_save: a chain of a few calls per
field), which for CreateCase's three rows is a fifth of the call's own Python. For most fields of most rows it
returns the value unchanged: a str for a CharField, an int for a foreign key, an aware datetime on
PostgreSQL. Those are taken as they are. Which fields of a model may be, and for values of which type, is
learnt once per model and database by asking the field itself to prepare a sample value: only a field whose
preparation gives back that very value is trusted with values of its type. Everything else (JSON, a naive
datetime, a creation time set on save, a type a field converts) goes through the field as Model.save() does.
"""

import functools
import uuid
from datetime import datetime, timezone

from django.db import connections, models

# Field classes whose preparation depends on the type of the value alone (not on its content), with that type.
# Exact classes: a subclass may prepare differently.
_VALUE_TYPES = {
    models.CharField: str,
    models.TextField: str,
    models.EmailField: str,
    models.SlugField: str,
    models.BooleanField: bool,
    models.IntegerField: int,
    models.BigIntegerField: int,
    models.SmallIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveBigIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.AutoField: int,
    models.BigAutoField: int,
    models.DateTimeField: datetime,
    models.UUIDField: uuid.UUID,
}
_RELATIONS = (models.ForeignKey, models.OneToOneField)
_SAMPLES = {str: "sample", bool: True, int: 1, datetime: datetime(2000, 1, 1, tzinfo=timezone.utc), uuid.UUID: uuid.UUID(int=1)}
# Whether a value is one the field's preparation gives back unchanged (a text choice is a str; a bool is no int).
_AS_IT_IS = {
    str: lambda value: isinstance(value, str),
    bool: lambda value: value.__class__ is bool,
    int: lambda value: value.__class__ is int,
    datetime: lambda value: value.__class__ is datetime and value.tzinfo is not None,
    uuid.UUID: lambda value: value.__class__ is uuid.UUID,
}
_ABSENT = object()


@functools.cache
def insert_fields(model: type[models.Model]) -> list:
    """The fields Model.save() inserts for a row whose primary key the database assigns."""
    options = model._meta
    return [field for field in options.local_concrete_fields if not field.generated and field is not options.auto_field]


def prepared_values(row: models.Model, database) -> list:
    """The values of insert_fields() that Model.save() would write for `row`."""
    values = []
    attributes = row.__dict__
    for field, as_it_is in zip(insert_fields(type(row)), _taken_as_they_are(type(row), database.alias)):
        if as_it_is is not None:
            value = attributes.get(field.attname, _ABSENT)
            if value is None or (value is not _ABSENT and as_it_is(value)):
                values.append(value)
                continue
        values.append(field.get_db_prep_save(field.pre_save(row, True), database))
    return values


@functools.cache
def _taken_as_they_are(model: type[models.Model], alias: str) -> tuple:
    """For each insert field, the test of a value it writes unchanged on this database, or None: prepare every
    value."""
    return tuple(_as_it_is(field, connections[alias]) for field in insert_fields(model))


def _as_it_is(field, database):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return None  # pre_save sets the value
    value_type = _VALUE_TYPES.get(type(field.target_field if type(field) in _RELATIONS else field))
    if value_type is None:
        return None
    sample = _SAMPLES[value_type]
    return _AS_IT_IS[value_type] if field.get_db_prep_save(sample, database) is sample else None
