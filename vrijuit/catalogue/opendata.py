"""Open data about the published activities: iCalendar feeds, schema.org JSON-LD and CSV.

Pure builders: the views in ``vrijuit.public.feeds`` pick the occurrences and pass a function
that makes the absolute address of an activity's public page.
"""

import csv
import io
from datetime import UTC, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from vrijuit.core.text import csv_cell

from .constants import ActivityState
from .models import Occurrence
from .pricing import activity_price

# A feed looks this far ahead and holds at most this many events.
FEED_DAYS = 366
FEED_MAX_EVENTS = 2000

CSV_COLUMNS = [
    "activity_id",
    "title",
    "category",
    "organiser",
    "start",
    "end",
    "location",
    "postal_code",
    "regular_price",
    "reduced_price",
    "external_id",
    "min_age",
    "max_age",
]
CSV_DATETIME = "%Y-%m-%d %H:%M"


def feed_occurrences(network, *, category=None, limit=FEED_MAX_EVENTS):
    """The running and coming, not cancelled occurrences of the published activities of
    ``network`` that start in the next 12 months (of one ``category`` when given), by start,
    at most ``limit``."""
    now = timezone.now()
    occurrences = Occurrence.objects.filter(
        network=network,
        activity__network=network,
        activity__state=ActivityState.PUBLISHED,
        cancelled_at__isnull=True,
        until__gt=now,
        start__lt=now + timedelta(days=FEED_DAYS),
    )
    if category:
        occurrences = occurrences.filter(activity__category=category)
    return list(
        occurrences.select_related(
            "activity", "activity__organiser", "activity__municipality"
        ).order_by("start", "pk")[:limit]
    )


def location_text(activity):
    """Place, street and postal code with municipality, on one line."""
    town = " ".join(
        part for part in (activity.postal_code, str(activity.municipality or "")) if part
    )
    return ", ".join(part for part in (activity.location_name, activity.address, town) if part)


# --- iCalendar (RFC 5545) -----------------------------------------------------------------


def ical_escape(text):
    """A TEXT value: backslash, semicolon, comma and line breaks escaped."""
    text = str(text or "").replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ical_fold(line, limit=75):
    """``line`` folded into lines of at most ``limit`` octets (the continuation lines start
    with a space), never inside a UTF-8 character; joined with CRLF."""
    parts, current, size = [], [], 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size = [" "], 1
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n".join(parts)


def _ical_time(moment):
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def build_ical(occurrences, *, detail_url, calendar_name):
    """A VCALENDAR with one VEVENT per occurrence; ``detail_url(activity)`` gives the page."""
    stamp = _ical_time(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Vrijuit//Activities//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ical_escape(calendar_name)}",
    ]
    for occurrence in occurrences:
        activity = occurrence.activity
        lines += [
            "BEGIN:VEVENT",
            f"UID:{occurrence.pk}@vrijuit",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_ical_time(occurrence.start)}",
        ]
        if occurrence.end:
            lines.append(f"DTEND:{_ical_time(occurrence.end)}")
        lines += [
            f"SUMMARY:{ical_escape(activity.title)}",
            f"DESCRIPTION:{ical_escape(activity.description)}",
            f"LOCATION:{ical_escape(location_text(activity))}",
            f"URL:{detail_url(activity)}",
            "STATUS:CONFIRMED",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(ical_fold(line) + "\r\n" for line in lines)


# --- schema.org JSON-LD -------------------------------------------------------------------


def _iso(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def activity_events(activity, occurrences, *, network, url):
    """A schema.org ``Event`` per occurrence of ``activity`` (cancelled ones marked so)."""
    price = activity_price(activity, network)
    address = {"@type": "PostalAddress", "addressCountry": "BE"}
    if activity.address:
        address["streetAddress"] = activity.address
    if activity.postal_code:
        address["postalCode"] = activity.postal_code
    if activity.municipality:
        address["addressLocality"] = str(activity.municipality)
    organizer = {"@type": "Organization", "name": activity.organiser.name}
    if activity.organiser.email:
        organizer["email"] = activity.organiser.email
    offers = [
        {
            "@type": "Offer",
            "name": _("Regular price"),
            "price": str(price.regular),
            "priceCurrency": "EUR",
            "url": url,
        },
        {
            "@type": "Offer",
            "name": _("Price with a pass"),
            "price": str(price.paid),
            "priceCurrency": "EUR",
            "url": url,
        },
    ]
    events = []
    for occurrence in occurrences:
        event = {
            "@context": "https://schema.org",
            "@type": "Event",
            "@id": f"{url}#{occurrence.pk}",
            "name": activity.title,
            "description": activity.description,
            "url": url,
            "startDate": _iso(occurrence.start),
            "eventStatus": "https://schema.org/EventCancelled"
            if occurrence.cancelled_at
            else "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": {
                "@type": "Place",
                "name": activity.location_name or activity.address or activity.postal_code,
                "address": address,
            },
            "organizer": organizer,
            "offers": offers,
        }
        if occurrence.end:
            event["endDate"] = _iso(occurrence.end)
        events.append(event)
    return events


# --- CSV ----------------------------------------------------------------------------------


def _csv_amount(amount):
    return "" if amount is None else f"{amount:.2f}".replace(".", ",")


def _csv_time(moment):
    return timezone.localtime(moment).strftime(CSV_DATETIME) if moment else ""


def build_csv(occurrences, *, network):
    """One row per occurrence, ``;`` between fields, with a UTF-8 BOM (Excel in Belgium)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    prices = {}
    for occurrence in occurrences:
        activity = occurrence.activity
        if activity.pk not in prices:
            prices[activity.pk] = activity_price(activity, network)
        price = prices[activity.pk]
        writer.writerow(
            [
                str(activity.pk),
                csv_cell(activity.title),
                activity.category,
                csv_cell(activity.organiser.name),
                _csv_time(occurrence.start),
                _csv_time(occurrence.end),
                csv_cell(activity.location_name),
                csv_cell(activity.postal_code),
                _csv_amount(price.regular),
                _csv_amount(price.paid),
                csv_cell(activity.external_id),
                "" if activity.min_age is None else activity.min_age,
                "" if activity.max_age is None else activity.max_age,
            ]
        )
    return out.getvalue()
