"""One rule for every date the system accepts (``vrijuit.core.dates``): 1900 to 2100, a birth
date not in the future, an activity's date at most 5 years ahead and 2 years back.

Each date input, in the API and in the pages, with year 1 and year 9999: a plain error
(422 problem or a form message), never a 500 — and the pages that list dates still work.
"""

from datetime import date, timedelta
from uuid import uuid4

import pytest

from django.utils import timezone

from vrijuit.api.tests.assertions import assert_problem
from vrijuit.catalogue.models import Occurrence
from vrijuit.catalogue.tests.factories import ActivityFactory, OccurrenceFactory
from vrijuit.core.roles import Role
from vrijuit.participants.models import Participant, Status
from vrijuit.participants.tests.factories import ParticipantFactory, municipality_covering
from vrijuit.passes.tests.factories import PassFactory

pytestmark = pytest.mark.django_db

FAR = ["0001-01-01", "9999-12-31"]
OUT_OF_RANGE = "Vul een datum in tussen 1900 en 2100."  # Dutch: the default language
FAR_TIMES = ["0001-01-01T10:00:00+01:00", "9999-12-31T10:00:00+01:00"]


@pytest.fixture
def activity(world):
    activity = ActivityFactory(organiser=world.organisers["own"], title="Zwemles")
    OccurrenceFactory(activity=activity)
    return activity


def coordinator(world):
    return world.tokens["own", Role.COORDINATOR]


def pages_still_work(world, client, activity, login):
    """The public guide, the activity's page, the desk's activity page and the day's
    check-ins all answer."""
    slug = world.own.slug
    assert client.get(f"/{slug}/activities/").status_code == 200
    assert client.get(f"/{slug}/activities/{activity.pk}/").status_code == 200
    assert client.get(f"/{slug}/activities.ics").status_code == 200
    staff = login(world.users["own", Role.COORDINATOR])
    assert staff.get(f"/desk/{slug}/activities/{activity.pk}/").status_code == 200
    assert staff.get(f"/desk/{slug}/checkins/").status_code == 200


# --- the API --------------------------------------------------------------------------------


@pytest.mark.parametrize("start", FAR_TIMES)
def test_an_occurrence_in_year_1_or_9999_is_refused(
    world, api_client, client, login, activity, start
):
    response = api_client.post(
        f"/activities/{activity.pk}/occurrences", {"start": start}, token=coordinator(world)
    )

    problem = assert_problem(response, 422, "validation_error")
    assert list(problem["errors"]) == ["start"]
    assert activity.occurrences.count() == 1
    pages_still_work(world, client, activity, login)


@pytest.mark.parametrize(
    ("start", "accepted"),
    [
        (timedelta(days=5 * 365 - 2), True),
        (timedelta(days=5 * 366 + 2), False),
        (-timedelta(days=2 * 365 - 2), True),
        (-timedelta(days=2 * 366 + 2), False),
    ],
    ids=["5-years-ahead", "6-years-ahead", "2-years-back", "3-years-back"],
)
def test_an_activity_is_planned_at_most_5_years_ahead_and_2_back(
    world, api_client, activity, start, accepted
):
    moment = (timezone.now() + start).replace(microsecond=0)

    response = api_client.post(
        f"/activities/{activity.pk}/occurrences",
        {"start": moment.isoformat()},
        token=coordinator(world),
    )

    if accepted:
        assert response.status_code == 201, response.content
    else:
        problem = assert_problem(response, 422, "validation_error")
        assert "ten hoogste 5 jaar vooruit" in problem["errors"]["start"][0]


def test_an_end_in_year_9999_is_refused(world, api_client, activity):
    start = (timezone.now() + timedelta(days=3)).replace(microsecond=0)

    response = api_client.post(
        f"/activities/{activity.pk}/occurrences",
        {"start": start.isoformat(), "end": FAR_TIMES[1]},
        token=coordinator(world),
    )

    problem = assert_problem(response, 422, "validation_error")
    assert list(problem["errors"]) == ["end"]


@pytest.mark.parametrize("day", FAR)
@pytest.mark.parametrize("path", ["/checkins", "/checkin-dates"])
def test_the_check_ins_of_a_day_in_year_1_or_9999_is_a_plain_error(world, api_client, path, day):
    response = api_client.get(f"{path}?day={day}", token=coordinator(world))

    problem = assert_problem(response, 422, "validation_error")
    assert problem["errors"] == {"day": [OUT_OF_RANGE]}


@pytest.mark.parametrize("day", FAR)
@pytest.mark.parametrize("name", ["from", "to"])
def test_the_guide_from_or_to_year_1_or_9999_is_a_plain_error(world, api_client, name, day):
    response = api_client.get(f"/activities?network={world.own.slug}&{name}={day}")

    problem = assert_problem(response, 422, "validation_error")
    assert list(problem["errors"]) == [name]


@pytest.mark.parametrize("day", [*FAR, "2999-01-01"])
def test_a_birth_date_in_year_1_or_in_the_future_is_refused(world, api_client, day):
    municipality_covering(world.own, "2150")
    body = {"first_name": "Jan", "last_name": "Peeters", "birth_date": day, "postal_code": "2150"}

    response = api_client.post("/participants", body, token=coordinator(world))

    problem = assert_problem(response, 422, "validation_error")
    assert list(problem["errors"]) == ["birth_date"]
    assert not Participant.objects.filter(last_name="Peeters").exists()


@pytest.mark.parametrize("day", FAR)
@pytest.mark.parametrize("field", ["valid_from", "valid_until"])
def test_a_status_from_or_until_year_1_or_9999_is_refused(world, api_client, field, day):
    person = ParticipantFactory(network=world.own)
    body = {"basis": "income", "valid_from": "2026-01-01", field: day}

    response = api_client.post(
        f"/participants/{person.pk}/statuses", body, token=coordinator(world)
    )

    problem = assert_problem(response, 422, "validation_error")
    assert list(problem["errors"]) == [field]
    assert not person.statuses.exists()


@pytest.mark.parametrize("moment", FAR_TIMES)
def test_a_scan_in_year_1_or_9999_is_a_plain_error(world, api_client, activity, moment):
    pass_ = PassFactory(participant__network=world.own)
    body = {
        "pass_number": pass_.number,
        "occurrence": str(activity.occurrences.get().pk),
        "idempotency_key": str(uuid4()),
        "scanned_at": moment,
    }

    response = api_client.post("/checkins", body, token=world.tokens["own", Role.ORGANISER])

    problem = assert_problem(response, 422, "validation_error")
    assert list(problem["errors"]) == ["scanned_at"]


# --- services -------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [1, 9999])
def test_the_services_refuse_far_dates_whoever_calls_them(world, activity, year):
    from django.core.exceptions import ValidationError

    from vrijuit.catalogue.services import occurrence_create
    from vrijuit.core.exceptions import VrijuitError
    from vrijuit.participants.services import participant_register, status_grant

    municipality_covering(world.own, "2150")
    moment = timezone.make_aware(timezone.datetime(year, 6, 1, 10))
    with pytest.raises(ValidationError):
        occurrence_create(activity=activity, start=moment)
    with pytest.raises(ValidationError):
        participant_register(
            network=world.own,
            first_name="Jan",
            last_name="Peeters",
            birth_date=date(year, 6, 1),
            postal_code="2150",
        )
    with pytest.raises(VrijuitError):
        status_grant(
            participant=ParticipantFactory(network=world.own),
            basis="income",
            valid_from=date(year, 6, 1),
        )
    assert not Status.objects.exists()
    assert Occurrence.objects.count() == 1


# --- the pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("day", FAR)
def test_the_desk_refuses_a_date_of_an_activity_in_year_1_or_9999(
    world, client, login, activity, day
):
    staff = login(world.users["own", Role.COORDINATOR])
    url = f"/desk/{world.own.slug}/activities/{activity.pk}/"

    response = staff.post(
        f"{url}dates/", {"first_date": day, "start_time": "10:00", "duration": "60"}, follow=True
    )

    assert response.status_code == 200
    assert OUT_OF_RANGE in response.content.decode()
    assert activity.occurrences.count() == 1
    pages_still_work(world, client, activity, login)


@pytest.mark.parametrize("day", ["01/01/0001", "31/12/9999"])
def test_the_desk_refuses_a_birth_date_in_year_1_or_9999(world, login, day):
    municipality_covering(world.own, "2150")
    staff = login(world.users["own", Role.DESK])

    response = staff.post(
        f"/desk/{world.own.slug}/participants/new/",
        {
            "first_name": "Jan",
            "last_name": "Peeters",
            "birth_date": day,
            "postal_code": "2150",
            "language": "nl",
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert OUT_OF_RANGE in page or "kan niet in de toekomst" in page
    assert not Participant.objects.filter(last_name="Peeters").exists()


@pytest.mark.parametrize("day", FAR)
def test_the_desk_refuses_a_status_from_year_1_or_9999(world, login, day):
    person = ParticipantFactory(network=world.own)
    staff = login(world.users["own", Role.SOCIAL_WORKER])
    url = f"/desk/{world.own.slug}/participants/{person.pk}/"

    response = staff.post(f"{url}statuses/", {"basis": "income", "valid_from": day}, follow=True)

    assert response.status_code == 200
    assert OUT_OF_RANGE in response.content.decode()
    assert not person.statuses.exists()


@pytest.mark.parametrize("day", FAR)
@pytest.mark.parametrize(
    "page",
    [
        "/desk/{slug}/checkins/?day={day}",
        "/desk/{slug}/budget/ledger/?year={year}",
        "/desk/{slug}/budget/?year={year}",
        "/desk/{slug}/budget/report/?year={year}",
        "/desk/{slug}/statements/?month={day}",
    ],
)
def test_desk_pages_with_a_day_or_year_1_or_9999_answer(world, login, page, day):
    staff = login(world.users["own", Role.COORDINATOR])
    url = page.format(slug=world.own.slug, day=day, year=day[:4])

    response = staff.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("day", FAR)
def test_the_desk_check_ins_of_a_day_in_year_1_or_9999_say_what_is_wrong(world, login, day):
    staff = login(world.users["own", Role.COORDINATOR])

    response = staff.get(f"/desk/{world.own.slug}/checkins/?day={day}")

    assert OUT_OF_RANGE in response.content.decode()


@pytest.mark.parametrize("day", FAR)
def test_the_public_guide_from_year_1_or_9999_answers(world, client, activity, day):
    response = client.get(f"/{world.own.slug}/activities/?date_from={day}&date_to={day}")

    assert response.status_code == 200
    assert OUT_OF_RANGE in response.content.decode()


@pytest.mark.parametrize("day", FAR)
def test_an_expense_in_year_1_or_9999_is_a_form_error(world, login, day):
    staff = login(world.users["own", Role.FINANCE])

    response = staff.post(
        f"/desk/{world.own.slug}/budget/expenses/",
        {"purpose": "other", "amount": "10,00", "day": day, "description": "bus"},
    )

    assert response.status_code == 200
    assert OUT_OF_RANGE in response.content.decode()


@pytest.mark.parametrize("month", ["0001-01", "9999-12"])
def test_statements_of_a_month_in_year_1_or_9999_are_a_form_error(world, login, month):
    staff = login(world.users["own", Role.COORDINATOR])

    response = staff.post(f"/desk/{world.own.slug}/statements/", {"month": month})

    assert response.status_code == 200
    assert OUT_OF_RANGE in response.content.decode()
