"""Import activities from a CSV file (the columns of the CSV export) or from a list of schema.org
Event objects as UiTdatabank gives them (JSON-LD).

Each row is one occurrence of an activity; rows with the same external id are dates of the same
activity. Importing again changes nothing: activities are found by external id, occurrences by
their start. A bad row is reported with its line (CSV) or item (JSON) and the others still go in.
"""

import csv
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from vrijuit.core.exceptions import VrijuitError
from vrijuit.core.text import FORMULA_STARTS

from .constants import Category
from .models import Activity, Occurrence
from .services import activity_create, activity_update, occurrence_create

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
FIELDS = (
    "external_id",
    "title",
    "description",
    "category",
    "start",
    "end",
    "location",
    "postal_code",
    "regular_price",
    "min_age",
    "max_age",
)
LOCAL_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M")


class RowError(Exception):
    """A row that cannot be imported; the message says why."""


@dataclass
class ImportRow:
    """One row to import: ``where`` is "line 3" or "item 2"; ``error`` when it could not be read."""

    where: str
    fields: dict
    error: str = ""


@dataclass
class ImportReport:
    dry_run: bool = False
    created: list = field(default_factory=list)  # external ids
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    occurrences_created: int = 0
    errors: list = field(default_factory=list)  # "line 3: …"

    def lines(self):
        """What happened (or, in a dry run, would happen), for people."""
        verb = "would be " if self.dry_run else ""
        out = [f"{external_id}: {verb}{CREATED}" for external_id in self.created]
        out += [f"{external_id}: {verb}{UPDATED}" for external_id in self.updated]
        out += [f"{external_id}: {UNCHANGED}" for external_id in self.unchanged]
        out.append(
            f"{len(self.created)} {verb}created, {len(self.updated)} {verb}updated, "
            f"{len(self.unchanged)} unchanged, {self.occurrences_created} new dates, "
            f"{len(self.errors)} errors"
        )
        return out


# --- reading files ------------------------------------------------------------------------


def _uncell(text):
    """Undo the ' the CSV export puts before text that starts like a formula."""
    text = (text or "").strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def read_csv(text):
    """The rows of a CSV text with a header row (``;`` or ``,`` between fields, BOM allowed)."""
    text = text.removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.DictReader(text.splitlines(keepends=True), delimiter=delimiter)
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    if "external_id" not in header or "title" not in header or "start" not in header:
        return [ImportRow("line 1", {}, "The header must name external_id, title and start.")]
    rows = []
    for record in reader:
        line = f"line {reader.line_num}"
        if None in record:
            rows.append(ImportRow(line, {}, "This line has more fields than the header."))
            continue
        values = {name: _uncell(value) for name, value in record.items() if name}
        fields = {name: values.get(name, "") for name in FIELDS}
        fields["location"] = values.get("location", "")
        rows.append(ImportRow(line, fields))
    return rows


def _text(value):
    """A plain or a language map (``{"nl": …}``) value as text; Dutch first."""
    if isinstance(value, dict):
        for language in ("nl", "en", "fr", "de"):
            if value.get(language):
                return str(value[language]).strip()
        value = next((v for v in value.values() if v), "")
    return "" if value is None else str(value).strip()


def read_jsonld(text):
    """The rows of a JSON list of schema.org Event objects (or an object with ``member``)."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        return [ImportRow("file", {}, f"This is not JSON: {exc}")]
    if isinstance(data, dict):
        data = data.get("member", data.get("@graph", [data]))
    if not isinstance(data, list):
        return [ImportRow("file", {}, "The file must hold a list of events.")]
    rows = []
    for index, item in enumerate(data, start=1):
        where = f"item {index}"
        if not isinstance(item, dict):
            rows.append(ImportRow(where, {}, "This item is not an event object."))
            continue
        location = item.get("location") or {}
        if isinstance(location, list):
            location = location[0] if location else {}
        location = location if isinstance(location, dict) else {}
        address = location.get("address") or {}
        if isinstance(address, dict) and "postalCode" not in address:
            address = address.get("nl", address)
        address = address if isinstance(address, dict) else {}
        offers = item.get("offers") or []
        offers = [offers] if isinstance(offers, dict) else offers
        price = offers[0].get("price", "") if offers and isinstance(offers[0], dict) else ""
        # schema.org typicalAgeRange: "3-8", "12-", "-6"
        ages = _text(item.get("typicalAgeRange")).replace("–", "-")
        min_age, _, max_age = ages.partition("-") if "-" in ages else (ages, "", ages)
        rows.append(
            ImportRow(
                where,
                {
                    "external_id": _text(item.get("@id")),
                    "title": _text(item.get("name")),
                    "description": _text(item.get("description")),
                    "category": "",
                    "start": _text(item.get("startDate")),
                    "end": _text(item.get("endDate")),
                    "location": _text(location.get("name")),
                    "postal_code": _text(address.get("postalCode")),
                    "regular_price": _text(price),
                    "min_age": min_age.strip(),
                    "max_age": max_age.strip(),
                },
            )
        )
    return rows


# --- checking values ----------------------------------------------------------------------


def parse_moment(text, name):
    """An aware datetime from ISO 8601 (with or without offset) or ``31/12/2025 14:00``;
    without an offset it is Belgian time."""
    text = (text or "").strip()
    if not text:
        raise RowError(f"{name} is missing.")
    moment = None
    try:
        moment = parse_datetime(text)
    except ValueError:
        moment = None
    if moment is None:
        for pattern in LOCAL_FORMATS:
            try:
                moment = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
    if moment is None:
        raise RowError(f"{name} {text!r} is not a date and time (use 2025-03-31 14:00).")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def parse_price(text):
    """Euros as ``12,50`` (Belgian), ``12.50`` or ``€ 1.234,50``; empty is free."""
    raw = (text or "").strip()
    cleaned = raw.replace("€", "").replace("EUR", "").replace(" ", "").replace("\xa0", "")
    if not cleaned:
        return Decimal("0.00")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d{1,2})?", cleaned):
        raise RowError(f"The price {raw!r} is not an amount in euros (use 12,50).")
    try:
        return Decimal(cleaned).quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise RowError(f"The price {raw!r} is not an amount in euros.") from exc


def parse_age(text, name):
    """An age in whole years (0 to 120), or None when empty."""
    text = (text or "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) > 120:
        raise RowError(f"{name} {text!r} is not an age in years (0 to 120).")
    return int(text)


def parse_category(text):
    text = (text or "").strip().lower()
    if not text:
        return Category.OTHER
    for category in Category:
        if text in (category.value, str(category.label).lower()):
            return category
    choices = ", ".join(Category.values)
    raise RowError(f"The category {text!r} is unknown (use one of {choices}).")


def _clean(row):
    fields = row.fields
    external_id = fields.get("external_id", "").strip()
    if not external_id:
        raise RowError("external_id is missing.")
    if len(external_id) > 100:
        raise RowError("external_id is longer than 100 characters.")
    title = fields.get("title", "").strip()
    if not title:
        raise RowError("The title is missing.")
    start = parse_moment(fields.get("start"), "start")
    end = parse_moment(fields["end"], "end") if fields.get("end", "").strip() else None
    if end is not None and end < start:
        raise RowError("The end is before the start.")
    activity = {
        "title": title,
        "category": parse_category(fields.get("category")),
        "location_name": fields.get("location", "").strip(),
        "postal_code": fields.get("postal_code", "").strip(),
        "regular_price": parse_price(fields.get("regular_price")),
        # Without them an activity for children is found for every age.
        "min_age": parse_age(fields.get("min_age"), "min_age"),
        "max_age": parse_age(fields.get("max_age"), "max_age"),
    }
    low, high = activity["min_age"], activity["max_age"]
    if low is not None and high is not None and high < low:
        raise RowError("max_age is lower than min_age.")
    if fields.get("description", "").strip():
        activity["description"] = fields["description"].strip()
    return external_id, activity, start, end


def _message(exc):
    if isinstance(exc, ValidationError):
        if hasattr(exc, "message_dict"):
            return "; ".join(
                f"{name}: {' '.join(str(m) for m in messages)}"
                for name, messages in exc.message_dict.items()
            )
        return " ".join(str(m) for m in exc.messages)
    return str(exc)


# --- importing ----------------------------------------------------------------------------


def _import_row(*, network, organiser, row, publish, seen, report):
    external_id, fields, start, end = _clean(row)
    activity = Activity.objects.filter(network=network, external_id=external_id).first()
    if activity is not None and activity.organiser_id != organiser.pk:
        raise RowError(f"{external_id} belongs to another organiser ({activity.organiser}).")
    status = UNCHANGED
    if activity is None:
        activity = activity_create(
            organiser=organiser, published=publish, external_id=external_id, **fields
        )
        status = CREATED
    else:
        changed = {
            name: value for name, value in fields.items() if getattr(activity, name) != value
        }
        if changed:
            activity_update(activity=activity, **changed)
            status = UPDATED
    occurrence = Occurrence.objects.filter(activity=activity, start=start).first()
    if occurrence is None:
        occurrence_create(activity=activity, start=start, end=end)
        report.occurrences_created += 1
        status = UPDATED if status == UNCHANGED else status
    elif occurrence.end != end:
        occurrence.end = end
        occurrence.full_clean()
        occurrence.save(update_fields=["end"])
        status = UPDATED if status == UNCHANGED else status
    previous = seen.get(external_id)
    if previous is None or (previous == UNCHANGED and status != UNCHANGED):
        seen[external_id] = status


def activities_import(*, network, organiser, rows, dry_run=False, publish=False) -> ImportReport:
    """Import ``rows`` (from ``read_csv`` or ``read_jsonld``) as activities of ``organiser``.

    New activities are drafts unless ``publish``. With ``dry_run`` everything is done in a
    transaction that is rolled back: the report says what would change.
    """
    if organiser.network_id != network.pk:
        raise ValueError("The organiser is not part of the network.")
    report = ImportReport(dry_run=dry_run)
    seen = {}
    with transaction.atomic():
        for row in rows:
            if row.error:
                report.errors.append(f"{row.where}: {row.error}")
                continue
            try:
                with transaction.atomic():
                    _import_row(
                        network=network,
                        organiser=organiser,
                        row=row,
                        publish=publish,
                        seen=seen,
                        report=report,
                    )
            except (RowError, ValidationError, VrijuitError) as exc:
                report.errors.append(f"{row.where}: {_message(exc)}")
        if dry_run:
            transaction.set_rollback(True)
    for external_id, status in seen.items():
        getattr(report, status).append(external_id)
    return report
