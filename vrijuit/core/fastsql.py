"""Hand-written SQL for the few statements of a hot path, with Django's own conversions.

The ORM spends most of a check-in's time building SQL, not waiting for the database
(docs/docs/quality.md, "Speed"). This module is the generic part; the statements themselves
are written out once, in ``vrijuit.checkins.queries`` (the scan at the door) and
``vrijuit.finance.drawdown`` (the budget's draw and release). What comes back goes through
exactly the converters the ORM would apply (``connection.ops.get_db_converters`` and the
field's own) and becomes model instances through ``Model.from_db``, the way a queryset builds
them, with the columns not read deferred. Parameters are prepared by their fields
(``get_db_prep_value`` / ``get_db_prep_save``), as the ORM does. Tables and columns come
from the models' ``_meta``, so a renamed column fails loudly instead of reading another.

``insert`` skips the model signals, and with them the audit log: it refuses every model
registered with ``vrijuit.core.audit``.
"""

from django.db import DEFAULT_DB_ALIAS, connections

from . import audit


def _real(connection):
    """The connection of this thread (not the proxy ``django.db.connection``)."""
    return connections[DEFAULT_DB_ALIAS] if connection is None else connection


def qn(name):
    """Quote a table or column name (the same on SQLite and PostgreSQL)."""
    return f'"{name}"'


def table(model):
    return qn(model._meta.db_table)


def column(model, name, alias=None):
    field = model._meta.get_field(name)
    return f"{alias}.{qn(field.column)}" if alias else qn(field.column)


def prep(model, name, value, connection=None):
    """``value`` as a parameter compared with the column of field ``name`` of ``model``."""
    connection = _real(connection)
    return model._meta.get_field(name).get_db_prep_value(value, connection, prepared=False)


def _converters(field, alias, connection):
    col = field.get_col(alias)
    return [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)], col


def convert(value, model, name, connection=None, alias="t"):
    """A value read from the column of field ``name``, converted as the ORM would."""
    connection = _real(connection)
    converters, col = _converters(model._meta.get_field(name), alias, connection)
    for converter in converters:
        value = converter(value, col, connection)
    return value


class Shape:
    """The columns of one or more models in one SELECT, and how to turn a row into instances.

    ``Shape(("p", Pass, ["id", "state"]), ("pa", Participant, ["id", "first_name"]))``:
    ``shape.columns`` is the select list; ``shape.instances(row)`` the instances, in order.
    """

    def __init__(self, *parts):
        self.parts = []
        columns = []
        for alias, model, names in parts:
            wanted = {model._meta.get_field(name).attname for name in names}
            # from_db takes the values in the order of the model's concrete fields.
            fields = [f for f in model._meta.concrete_fields if f.attname in wanted]
            self.parts.append((alias, model, fields, [f.attname for f in fields]))
            columns += [f"{alias}.{qn(f.column)}" for f in fields]
        self.columns = ", ".join(columns)
        self.width = len(columns)

    def _converters_for(self, connection):
        # Kept on the shape itself, per database: a cache keyed by id(shape) elsewhere would
        # hand a new shape the converters of a collected one that had the same id.
        key = (connection.alias, connection.vendor)
        cache = self.__dict__.setdefault("_converters_cache", {})
        converters = cache.get(key)
        if converters is None:
            converters = [
                [_converters(field, alias, connection) for field in fields]
                for alias, _model, fields, _names in self.parts
            ]
            cache[key] = converters
        return converters

    def instances(self, row, connection=None, start=0):
        """The instances of ``row[start:]``; a part whose primary key is NULL (the empty side
        of an outer join) gives None."""
        connection = _real(connection)
        result = []
        position = start
        for (_alias, model, _fields, names), converters in zip(
            self.parts, self._converters_for(connection), strict=True
        ):
            values = []
            for convs, col in converters:
                value = row[position]
                position += 1
                for converter in convs:
                    value = converter(value, col, connection)
                values.append(value)
            pk_name = model._meta.pk.attname
            if pk_name in names and values[names.index(pk_name)] is None:
                result.append(None)
            else:
                result.append(model.from_db(connection.alias, names, values))
        return result


def insert(obj, connection=None):
    """``INSERT`` one new instance as ``obj.save()`` would store it, without model signals
    (for models that no receiver listens to) and without reading an automatic key back.

    Refuses an audited model (``TypeError``): its change would be missing from the audit log.
    """
    if audit.is_registered(type(obj)):
        raise TypeError(
            f"{obj._meta.label} is audited: store it with save() so that the audit log "
            "records it, not with fastsql.insert."
        )
    connection = _real(connection)
    meta = obj._meta
    names, values = [], []
    for field in meta.local_concrete_fields:
        if field.primary_key and getattr(obj, field.attname) is None:
            continue  # an automatic key: the database gives it
        names.append(qn(field.column))
        values.append(field.get_db_prep_save(field.pre_save(obj, True), connection))
    placeholders = ", ".join(["%s"] * len(values))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table(type(obj))} ({', '.join(names)}) VALUES ({placeholders})",  # noqa: S608
            values,
        )
    obj._state.adding = False
    obj._state.db = connection.alias
    return obj
