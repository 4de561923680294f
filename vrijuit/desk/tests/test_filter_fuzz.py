"""Every filter of a list page, given empty, garbage and out-of-range values.

A filter that cannot be read is ignored or explained on the page; it never gives a 500.
``test_every_filter_is_fuzzed`` finds the query parameters the views read, so a new
filter needs a line in ``FILTERS``.
"""

import importlib
import inspect
import re
from pathlib import Path

import pytest

from django.utils.html import escape

from vrijuit.core.roles import Role
from vrijuit.core.tests.matrix import fresh_participant

# The list pages with query parameters, and the parameters each one reads.
FILTERS = {
    "/desk/{network}/participants/": ["q"],
    "/desk/{network}/participants/new/": ["household_of"],
    "/desk/{network}/participants/{participant_id}/export/": ["format"],
    "/desk/{network}/checkins/": ["day", "organiser"],
    "/desk/{network}/activities/": ["state"],
    "/desk/{network}/statements/": ["state"],
    "/desk/{network}/budget/": ["year"],
    "/desk/{network}/budget/ledger/": ["year", "purpose", "page"],
    "/desk/{network}/budget/report/": ["year"],
    "/desk/{network}/budget/report.csv": ["year", "by"],
    "/desk/{network}/budget/report.xlsx": ["year"],
    "/desk/{network}/audit/": ["action", "page"],
    "/{network}/activities/": [
        "q",
        "date_from",
        "date_to",
        "category",
        "age",
        "municipality",
        "free",
        "page",
    ],
}

VALUES = {
    "empty": "",
    "blank": "   ",
    "garbage": "zever",
    "markup": "<b>x</b>",
    "negative": "-1",
    "zero": "0",
    "huge": "9" * 30,
    "impossible-date": "2026-13-45",
    "year-1": "0001-01-01",
    "year-9999": "9999-12-31",
    "far-year": "99999",
    "unknown-uuid": "00000000-0000-0000-0000-000000000000",
    "long": "a" * 5000,
    "nul": "a\x00b",
}


def _cases():
    for path, params in FILTERS.items():
        for param in params:
            yield pytest.param(path, param, id=f"{path}?{param}")


@pytest.fixture
def coordinator(world, login):
    return login(world.users["own", Role.COORDINATOR])


@pytest.mark.parametrize(("path", "param"), list(_cases()))
def test_a_filter_with_a_bad_value_never_gives_500(world, coordinator, path, param):
    url = path.format(network=world.own.slug, **fresh_participant(world, "own"))

    for name, value in VALUES.items():
        response = coordinator.get(url, {param: value})

        assert response.status_code == 200, (name, response.status_code)
        if response.get("Content-Type", "").startswith("text/html"):
            assert "<b>x</b>" not in response.content.decode(), name


def test_the_checkins_of_all_organisers(world, coordinator):
    # "All organisers" in the filter sends an empty value.
    response = coordinator.get(
        f"/desk/{world.own.slug}/checkins/", {"day": "2026-03-02", "organiser": ""}
    )

    assert response.status_code == 200
    assert response.context["day"].isoformat() == "2026-03-02"


def test_a_day_that_cannot_be_read_is_explained(world, coordinator):
    response = coordinator.get(f"/desk/{world.own.slug}/checkins/", {"day": "2026-13-45"})

    assert response.status_code == 200
    assert escape(str(response.context["form"].errors["day"][0])) in response.content.decode()


# --- the list of filters is complete --------------------------------------------------

VIEW_MODULES = [
    "vrijuit.desk.views",
    "vrijuit.desk.participant_views",
    "vrijuit.desk.checkin_views",
    "vrijuit.desk.activity_views",
    "vrijuit.desk.finance_views",
    "vrijuit.desk.budget_views",
    "vrijuit.public.views",
]


def _parameters_read():
    names = set()
    for dotted in VIEW_MODULES:
        module = importlib.import_module(dotted)
        source = Path(inspect.getfile(module)).read_text()
        names |= set(re.findall(r"request\.GET\.get\(\"(\w+)\"", source))
        for form_name in re.findall(r"(\w+Form)\(request\.GET", source):
            names |= set(getattr(module, form_name).base_fields)
    return names


def test_every_filter_is_fuzzed():
    fuzzed = {param for params in FILTERS.values() for param in params}

    assert _parameters_read() - {"network", "next"} <= fuzzed
