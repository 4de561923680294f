"""Importing activities from CSV and UiTdatabank-style JSON-LD files."""

import json
from decimal import Decimal

import pytest

from django.core.management import call_command

from vrijuit.catalogue.imports import activities_import, read_csv, read_jsonld
from vrijuit.catalogue.models import Activity, Occurrence
from vrijuit.networks.tests.factories import NetworkFactory, OrganiserFactory

pytestmark = pytest.mark.django_db

CSV = (
    "\ufeffexternal_id;title;category;start;end;location;postal_code;regular_price\n"
    "uit-1;Zwemles;sport;2030-03-01 14:00;2030-03-01 16:00;Zwembad;2150;12,50\n"
    "uit-1;Zwemles;sport;2030-03-08 14:00;2030-03-08 16:00;Zwembad;2150;12,50\n"
    "uit-2;Toneel;culture;31/03/2030 20:00;;CC;2150;€ 8\n"
    "uit-3;Kapot;sport;morgen;;;;5\n"
    "uit-4;Duur;sport;2030-03-01 14:00;;;;12.345\n"
    "uit-5;Raar;dansen;2030-03-01 14:00;;;;1\n"
)


@pytest.fixture
def organiser():
    return OrganiserFactory(network=NetworkFactory(slug="borsbeek"), slug="zwemclub")


def run(organiser, rows, dry_run=False):
    return activities_import(
        network=organiser.network, organiser=organiser, rows=rows, dry_run=dry_run
    )


def test_a_csv_file_is_imported_once_and_bad_lines_are_reported(organiser):
    report = run(organiser, read_csv(CSV))

    assert sorted(report.created) == ["uit-1", "uit-2"]
    assert report.occurrences_created == 3
    assert len(report.errors) == 3
    assert report.errors[0].startswith("line 5: start 'morgen' is not a date")
    assert report.errors[1].startswith("line 6: The price '12.345'")
    assert report.errors[2].startswith("line 7: The category 'dansen' is unknown")
    swim = Activity.objects.get(external_id="uit-1")
    assert swim.regular_price == Decimal("12.50")
    assert swim.state == "draft"
    assert swim.occurrences.count() == 2
    assert Activity.objects.get(external_id="uit-2").regular_price == Decimal("8.00")

    again = run(organiser, read_csv(CSV))

    assert again.created == [] and again.updated == []
    assert sorted(again.unchanged) == ["uit-1", "uit-2"]
    assert Occurrence.objects.count() == 3

    changed = run(organiser, read_csv(CSV.replace("Toneel", "Theater")))

    assert changed.updated == ["uit-2"]
    assert Activity.objects.get(external_id="uit-2").title == "Theater"


def test_a_dry_run_reports_and_writes_nothing(organiser):
    report = run(organiser, read_csv(CSV), dry_run=True)

    assert sorted(report.created) == ["uit-1", "uit-2"]
    assert "uit-1: would be created" in report.lines()
    assert len(report.errors) == 3
    assert not Activity.objects.exists()


EVENTS = [
    {
        "@id": "https://io.uitdatabank.be/event/abc",
        "name": {"nl": "Kamp in de Ardennen"},
        "description": {"nl": "Een week op kamp."},
        "startDate": "2030-07-01T10:00:00+02:00",
        "endDate": "2030-07-05T16:00:00+02:00",
        "location": {"name": {"nl": "De Hoeve"}, "address": {"nl": {"postalCode": "6940"}}},
        "offers": [{"price": 95.5, "priceCurrency": "EUR"}],
    },
    {"@id": "https://io.uitdatabank.be/event/def", "name": "Zonder datum"},
    "geen object",
]


def test_a_json_ld_file_is_imported_by_id(organiser):
    report = run(organiser, read_jsonld(json.dumps(EVENTS)))

    assert report.created == ["https://io.uitdatabank.be/event/abc"]
    assert report.errors == [
        "item 2: start is missing.",
        "item 3: This item is not an event object.",
    ]
    camp = Activity.objects.get()
    assert camp.title == "Kamp in de Ardennen"
    assert camp.description == "Een week op kamp."
    assert camp.location_name == "De Hoeve"
    assert camp.postal_code == "6940"
    assert camp.regular_price == Decimal("95.50")
    assert camp.occurrences.get().start.isoformat() == "2030-07-01T08:00:00+00:00"

    assert run(organiser, read_jsonld(json.dumps(EVENTS))).unchanged == [
        "https://io.uitdatabank.be/event/abc"
    ]


def test_another_organisers_activity_is_not_taken_over(organiser):
    other = OrganiserFactory(network=organiser.network, slug="andere")
    run(other, read_csv(CSV))
    report = run(organiser, read_csv(CSV))
    assert report.created == []
    assert "line 2: uit-1 belongs to another organiser" in report.errors[0]


def test_the_command_imports_a_file(organiser, tmp_path, capsys):
    path = tmp_path / "activiteiten.csv"
    path.write_text(CSV, encoding="utf-8")

    call_command(
        "import_activities", str(path), network="borsbeek", organiser="zwemclub", dry_run=True
    )
    assert not Activity.objects.exists()
    call_command("import_activities", str(path), network="borsbeek", organiser="zwemclub")

    out, err = capsys.readouterr()
    assert "Dry run: nothing was saved." in out
    assert "uit-1: created" in out
    assert "line 5:" in err
    assert Activity.objects.count() == 2
