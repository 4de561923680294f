"""The reduced-tariff status: validity, grace, suspension, ending, household, renewal.

Every date is given explicitly; nothing depends on the day the tests run.
"""

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vrijuit.networks.constants import StatusValidity
from vrijuit.networks.models import Network
from vrijuit.networks.tests.factories import NetworkFactory
from vrijuit.participants.constants import Basis, StatusState
from vrijuit.participants.models import Status
from vrijuit.participants.selectors import status_state, statuses_ending_soon
from vrijuit.participants.services import (
    default_valid_until,
    status_end,
    status_grant,
    status_renew,
    status_suspend,
)
from vrijuit.participants.tests.factories import (
    TODAY,
    HouseholdFactory,
    ParticipantFactory,
    StatusFactory,
)

VALID = {StatusState.ACTIVE, StatusState.GRACE}  # the states that give the reduced tariff

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


def months_network(months):
    return Network(status_validity=StatusValidity.MONTHS, status_validity_months=months)


def add_months(day, months):
    """The same day ``months`` later, or None when that month is too short."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if day.day > calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day.day)


# --- default validity ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("granted", "until"),
    [
        (date(2026, 3, 14), date(2026, 12, 31)),
        (date(2026, 1, 1), date(2026, 12, 31)),
        (date(2026, 9, 30), date(2026, 12, 31)),
        (date(2028, 2, 29), date(2028, 12, 31)),
        # The last three months of the year (the default): until the end of the next year.
        (date(2026, 10, 1), date(2027, 12, 31)),
        (date(2026, 12, 4), date(2027, 12, 31)),
        (date(2026, 12, 31), date(2027, 12, 31)),
    ],
)
def test_by_default_a_status_is_valid_until_the_end_of_the_year_of_the_grant(granted, until):
    assert default_valid_until(Network(), granted) == until


@pytest.mark.parametrize(
    ("late_months", "granted", "until"),
    [
        (0, date(2026, 12, 4), date(2026, 12, 31)),
        (0, date(2026, 12, 31), date(2026, 12, 31)),
        (1, date(2026, 11, 30), date(2026, 12, 31)),
        (1, date(2026, 12, 1), date(2027, 12, 31)),
        (6, date(2026, 6, 30), date(2026, 12, 31)),
        (6, date(2026, 7, 1), date(2027, 12, 31)),
        (11, date(2026, 1, 31), date(2026, 12, 31)),
        (11, date(2026, 2, 1), date(2027, 12, 31)),
    ],
)
def test_a_status_given_late_in_the_year_runs_until_the_end_of_the_next_year(
    late_months, granted, until
):
    network = Network(
        status_validity=StatusValidity.END_OF_YEAR, status_late_grant_months=late_months
    )
    assert default_valid_until(network, granted) == until


@given(dates, st.integers(min_value=0, max_value=11))
def test_end_of_year_validity_for_any_grant_day(granted, late_months):
    network = Network(
        status_validity=StatusValidity.END_OF_YEAR, status_late_grant_months=late_months
    )
    until = default_valid_until(network, granted)
    late = granted.month > 12 - late_months
    assert until == date(granted.year + late, 12, 31)
    # Never less than a quarter's worth when the network gives three months or more.
    if late_months >= 3:
        assert (until - granted).days >= 91


@pytest.mark.django_db
def test_a_status_given_on_4_december_does_not_end_27_days_later():
    network = NetworkFactory()  # the defaults: end of the year, last 3 months count forward
    someone = ParticipantFactory(network=network)

    [status] = status_grant(participant=someone, basis=Basis.INCOME, valid_from=date(2026, 12, 4))

    assert status.valid_until == date(2027, 12, 31)


@pytest.mark.parametrize(
    ("granted", "months", "until"),
    [
        (date(2026, 3, 14), 12, date(2027, 3, 13)),
        (date(2026, 3, 1), 6, date(2026, 8, 31)),
        (date(2026, 11, 15), 3, date(2027, 2, 14)),
        (date(2026, 1, 1), 1, date(2026, 1, 31)),
        # No 31 February: one month from 31 January runs to the end of February.
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2028, 1, 30), 1, date(2028, 2, 29)),
        (date(2026, 1, 28), 1, date(2026, 2, 27)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 8, 31), 1, date(2026, 9, 30)),
    ],
)
def test_with_n_months_the_last_day_is_the_day_before_the_same_date_n_months_later(
    granted, months, until
):
    assert default_valid_until(months_network(months), granted) == until


@given(dates, st.integers(min_value=1, max_value=36))
def test_n_months_validity_for_any_grant_day(granted, months):
    until = default_valid_until(months_network(months), granted)
    same_day_later = add_months(granted, months)
    if same_day_later is not None:
        assert until == same_day_later - timedelta(days=1)
    else:
        # That month has no such day: the status runs to the end of that month.
        assert (until + timedelta(days=1)).day == 1
        assert until.month == (granted.month - 1 + months) % 12 + 1
    assert until >= granted


@given(dates, dates, st.integers(min_value=1, max_value=36))
def test_a_later_grant_never_ends_earlier(first, second, months):
    network = months_network(months)
    first, second = sorted([first, second])
    assert default_valid_until(network, first) <= default_valid_until(network, second)


@pytest.mark.django_db
def test_granting_without_an_end_date_uses_the_network_setting():
    network = NetworkFactory(status_validity=StatusValidity.MONTHS, status_validity_months=6)
    someone = ParticipantFactory(network=network)

    [status] = status_grant(
        participant=someone, basis=Basis.INCOME, valid_from=date(2026, 1, 31), note=" attest "
    )

    status.refresh_from_db()
    assert status.valid_until == date(2026, 7, 30)
    assert status.note == "attest"
    assert status.network == network


@pytest.mark.django_db
def test_an_end_date_before_the_start_is_refused():
    someone = ParticipantFactory()

    with pytest.raises(Exception) as refused:
        status_grant(
            participant=someone,
            basis=Basis.INCOME,
            valid_from=date(2026, 5, 1),
            valid_until=date(2026, 4, 30),
        )

    assert refused.value.code == "status_refused"
    assert "valid_until" in refused.value.errors
    assert not Status.objects.exists()


# --- state on a day: grace, suspension, ending --------------------------------------------


def status(valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 31), **kwargs):
    return Status(valid_from=valid_from, valid_until=valid_until, **kwargs)


@pytest.mark.parametrize(
    ("day", "state"),
    [
        (date(2025, 12, 31), StatusState.NONE),
        (date(2026, 1, 1), StatusState.ACTIVE),
        (date(2026, 12, 31), StatusState.ACTIVE),
        (date(2027, 1, 1), StatusState.GRACE),
        (date(2027, 1, 30), StatusState.GRACE),  # day 30 after valid_until
        (date(2027, 1, 31), StatusState.EXPIRED),  # day 31
    ],
)
def test_thirty_days_of_grace_after_the_last_valid_day(day, state):
    assert status().state_on(day, grace_days=30) == state


def test_without_grace_the_day_after_the_last_valid_day_is_expired():
    assert status().state_on(date(2026, 12, 31), grace_days=0) == StatusState.ACTIVE
    assert status().state_on(date(2027, 1, 1), grace_days=0) == StatusState.EXPIRED


@given(
    valid_from=dates,
    length=st.integers(min_value=0, max_value=800),
    offset=st.integers(min_value=-60, max_value=900),
    grace_days=st.integers(min_value=0, max_value=90),
)
def test_grace_exactly_in_the_grace_days_after_valid_until(valid_from, length, offset, grace_days):
    valid_until = valid_from + timedelta(days=length)
    day = valid_from + timedelta(days=offset)

    state = status(valid_from, valid_until).state_on(day, grace_days)

    assert (state == StatusState.GRACE) == (0 < (day - valid_until).days <= grace_days)
    assert (state == StatusState.ACTIVE) == (valid_from <= day <= valid_until)
    assert (state == StatusState.NONE) == (day < valid_from)
    assert (state == StatusState.EXPIRED) == ((day - valid_until).days > grace_days)


@pytest.mark.parametrize(
    ("suspended_until", "day", "state"),
    [
        (date(2026, 6, 30), date(2026, 5, 31), StatusState.ACTIVE),
        (date(2026, 6, 30), date(2026, 6, 1), StatusState.SUSPENDED),
        (date(2026, 6, 30), date(2026, 6, 30), StatusState.SUSPENDED),
        (date(2026, 6, 30), date(2026, 7, 1), StatusState.ACTIVE),
        (None, date(2026, 6, 1), StatusState.SUSPENDED),
        (None, date(2026, 12, 31), StatusState.SUSPENDED),
        # An open suspension is not lifted by the status running out: no grace either.
        (None, date(2027, 1, 10), StatusState.SUSPENDED),
        (None, date(2027, 2, 1), StatusState.EXPIRED),
    ],
)
def test_a_suspended_status_gives_no_reduced_tariff(suspended_until, day, state):
    suspended = status(suspended_from=date(2026, 6, 1), suspended_until=suspended_until)

    assert suspended.state_on(day, grace_days=30) == state


@pytest.mark.parametrize(
    ("day", "state"),
    [
        (date(2026, 9, 14), StatusState.ACTIVE),
        (date(2026, 9, 15), StatusState.EXPIRED),  # the end date itself
        (date(2026, 12, 31), StatusState.EXPIRED),
        (date(2027, 1, 5), StatusState.EXPIRED),  # no grace after ending early
    ],
)
def test_from_the_end_date_on_the_status_is_expired_without_grace(day, state):
    ended = status(ended_on=date(2026, 9, 15))

    assert ended.state_on(day, grace_days=30) == state


def test_a_status_that_starts_later_is_none_today():
    later = status(valid_from=TODAY + timedelta(days=1), valid_until=date(TODAY.year, 12, 31))

    assert later.state_on(TODAY, grace_days=30) == StatusState.NONE


@st.composite
def scenarios(draw):
    """A period, a grace length and a day, with the days around the period's end often drawn."""
    valid_from = draw(dates)
    valid_until = valid_from + timedelta(days=draw(st.integers(min_value=0, max_value=500)))
    grace_days = draw(st.integers(min_value=0, max_value=60))
    near = valid_until - valid_from
    offset = draw(
        st.integers(min_value=-30, max_value=700)
        | st.integers(min_value=near.days - 3, max_value=near.days + grace_days + 3)
    )
    return valid_from, valid_until, grace_days, valid_from + timedelta(days=offset)


def near(day):
    """A date within a few weeks of ``day``."""
    return st.integers(min_value=-40, max_value=40).map(lambda n: day + timedelta(days=n))


@given(scenario=scenarios(), data=st.data())
def test_a_day_inside_a_suspension_never_has_the_reduced_tariff(scenario, data):
    valid_from, valid_until, grace_days, day = scenario
    suspended_from = data.draw(near(day) | near(valid_from) | near(valid_until))
    suspended_until = data.draw(
        st.none()
        | st.integers(min_value=0, max_value=100).map(lambda n: suspended_from + timedelta(days=n))
    )
    plain = status(valid_from, valid_until)
    suspended = status(
        valid_from, valid_until, suspended_from=suspended_from, suspended_until=suspended_until
    )

    inside = suspended_from <= day and (suspended_until is None or day <= suspended_until)
    without = plain.state_on(day, grace_days)
    if inside and without in VALID:
        assert suspended.state_on(day, grace_days) == StatusState.SUSPENDED
    else:
        assert suspended.state_on(day, grace_days) == without


@given(scenario=scenarios(), data=st.data())
def test_ending_changes_nothing_before_the_end_date_and_expires_from_it_on(scenario, data):
    valid_from, valid_until, grace_days, day = scenario
    ended_on = data.draw(near(day) | near(valid_until))
    ended_on = max(ended_on, valid_from)  # status_end never ends before the start
    plain = status(valid_from, valid_until)
    ended = status(valid_from, valid_until, ended_on=ended_on)

    if day < ended_on:
        assert ended.state_on(day, grace_days) == plain.state_on(day, grace_days)
    else:
        assert ended.state_on(day, grace_days) == StatusState.EXPIRED


@given(scenario=scenarios())
def test_grace_exactly_in_the_grace_days_after_valid_until_near_the_end(scenario):
    valid_from, valid_until, grace_days, day = scenario

    state = status(valid_from, valid_until).state_on(day, grace_days)

    assert (state == StatusState.GRACE) == (0 < (day - valid_until).days <= grace_days)


@given(scenario=scenarios(), data=st.data())
def test_grace_iff_in_the_grace_days_and_not_ended_or_suspended_that_day(scenario, data):
    valid_from, valid_until, grace_days, day = scenario
    suspended_from = data.draw(st.none() | near(day) | near(valid_until))
    suspended_until = (
        None
        if suspended_from is None
        else data.draw(st.none() | near(suspended_from).filter(lambda d: d >= suspended_from))
    )
    ended_on = data.draw(st.none() | near(day).map(lambda d: max(d, valid_from)))
    made = status(
        valid_from,
        valid_until,
        suspended_from=suspended_from,
        suspended_until=suspended_until,
        ended_on=ended_on,
    )

    state = made.state_on(day, grace_days)

    in_grace_days = 0 < (day - valid_until).days <= grace_days
    ended = ended_on is not None and ended_on <= day
    suspended = suspended_from is not None and suspended_from <= day
    suspended = suspended and (suspended_until is None or day <= suspended_until)
    assert (state == StatusState.GRACE) == (in_grace_days and not ended and not suspended)
    if state in VALID:
        assert not ended and not suspended


@pytest.mark.django_db
def test_suspend_and_end_through_the_services():
    current = StatusFactory(today=TODAY)
    other = StatusFactory(today=TODAY)

    status_suspend(status=current, suspended_from=TODAY, suspended_until=None, reason=" onderzoek ")
    status_end(status=other, ended_on=TODAY, reason="verhuisd")

    current.refresh_from_db()
    other.refresh_from_db()
    assert current.suspend_reason == "onderzoek"
    assert status_state(current.participant, TODAY) == (StatusState.SUSPENDED, current)
    assert status_state(other.participant, TODAY) == (StatusState.EXPIRED, other)
    assert status_state(other.participant, TODAY - timedelta(days=1))[0] == StatusState.ACTIVE


@pytest.mark.django_db
def test_a_suspension_that_ends_before_it_starts_is_refused():
    current = StatusFactory()

    with pytest.raises(Exception) as refused:
        status_suspend(
            status=current,
            suspended_from=date(2026, 6, 1),
            suspended_until=date(2026, 5, 31),
            reason="x",
        )

    assert refused.value.code == "status_refused"
    assert "suspended_until" in refused.value.errors


@pytest.mark.django_db
def test_ending_before_the_start_ends_on_the_first_day():
    current = StatusFactory(valid_from=date(2026, 3, 1))

    status_end(status=current, ended_on=date(2026, 1, 1), reason="fout ingegeven")

    current.refresh_from_db()
    assert current.ended_on == date(2026, 3, 1)
    assert current.state_on(date(2026, 3, 1), grace_days=30) == StatusState.EXPIRED


# --- the best state over several statuses -------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("traits", "best"),
    [
        ([{}, {"in_grace": True}, {"suspended": True}, {"expired": True}], StatusState.ACTIVE),
        ([{"in_grace": True}, {"suspended": True}, {"expired": True}], StatusState.GRACE),
        ([{"suspended": True}, {"expired": True}, {"ended": True}], StatusState.SUSPENDED),
        ([{"expired": True}, {"ended": True}], StatusState.EXPIRED),
        ([], StatusState.NONE),
    ],
)
def test_the_best_state_over_all_statuses_counts(traits, best):
    someone = ParticipantFactory()
    made = [StatusFactory(participant=someone, today=TODAY, **t) for t in traits]
    # A status that only starts tomorrow never counts today.
    StatusFactory(
        participant=someone,
        valid_from=TODAY + timedelta(days=1),
        valid_until=TODAY + timedelta(days=300),
    )

    state, chosen = status_state(someone, TODAY)

    assert state == best
    if made:
        assert chosen in made
        assert chosen.state_on(TODAY, someone.network.grace_days) == best
    else:
        assert chosen is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("trait", "state"),
    [
        ("expired", StatusState.EXPIRED),
        ("in_grace", StatusState.GRACE),
        ("suspended", StatusState.SUSPENDED),
        ("ended", StatusState.EXPIRED),
    ],
)
def test_status_factory_traits_give_their_state(trait, state):
    made = StatusFactory(**{trait: True})

    assert status_state(made.participant, TODAY)[0] == state
    assert (state in VALID) == (trait == "in_grace")


@pytest.mark.django_db
def test_the_network_grace_period_is_used():
    network = NetworkFactory(grace_days=0)
    made = StatusFactory(participant__network=network, in_grace=True)

    assert status_state(made.participant, TODAY)[0] == StatusState.EXPIRED


# --- household ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_grant_can_include_the_whole_household_in_one_call():
    household = HouseholdFactory()
    mother, son, daughter, gone = (
        ParticipantFactory(network=household.network, household=household) for _ in range(4)
    )
    gone.erased_at = gone.created_at
    gone.save()
    neighbour = ParticipantFactory(network=household.network)

    statuses = status_grant(
        participant=mother,
        basis=Basis.SOCIAL_INTEGRATION,
        valid_from=date(2026, 2, 1),
        include_household=True,
    )

    assert {s.participant for s in statuses} == {mother, son, daughter}
    assert {(s.valid_from, s.valid_until, s.basis) for s in statuses} == {
        (date(2026, 2, 1), date(2026, 12, 31), Basis.SOCIAL_INTEGRATION)
    }
    assert not gone.statuses.exists()
    assert not neighbour.statuses.exists()


@pytest.mark.django_db
def test_without_include_household_only_the_person_gets_the_status():
    household = HouseholdFactory()
    mother, son = (
        ParticipantFactory(network=household.network, household=household) for _ in range(2)
    )

    statuses = status_grant(participant=mother, basis=Basis.INCOME, valid_from=date(2026, 2, 1))

    assert [s.participant for s in statuses] == [mother]
    assert not son.statuses.exists()


# --- renewal ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_renewal_starts_the_day_after_the_old_period():
    old = StatusFactory(valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 31))

    new = status_renew(status=old, today=date(2026, 12, 10))

    assert (new.valid_from, new.valid_until) == (date(2027, 1, 1), date(2027, 12, 31))
    assert new.basis == old.basis
    assert new.participant == old.participant
    assert status_state(old.participant, date(2027, 1, 1)) == (StatusState.ACTIVE, new)


@pytest.mark.django_db
@pytest.mark.parametrize("days_late", [1, 10, 31, 400])
def test_a_renewal_after_the_status_ran_out_starts_today(days_late):
    old = StatusFactory(valid_from=date(2025, 1, 1), valid_until=date(2025, 12, 31))
    today = date(2025, 12, 31) + timedelta(days=days_late)

    new = status_renew(status=old, today=today)

    assert new.valid_from == today
    assert new.valid_until == date(today.year, 12, 31)


# --- statuses ending soon -----------------------------------------------------------------


@pytest.mark.django_db
def test_statuses_ending_within_thirty_days_without_a_follow_up_are_listed():
    network = NetworkFactory()
    today = date(2026, 12, 5)

    def ending(days, **kwargs):
        return StatusFactory(
            participant__network=network,
            valid_from=date(2026, 1, 1),
            valid_until=today + timedelta(days=days),
            **kwargs,
        )

    tomorrow, last_day, today_ = ending(1), ending(30), ending(0)
    ending(31)  # not soon yet
    ending(-1)  # ran out already
    ending(10, ended_on=today)  # ended on purpose: no invitation
    renewed = ending(10)
    StatusFactory(
        participant=renewed.participant,
        valid_from=date(2026, 12, 16),
        valid_until=date(2027, 12, 31),
    )
    gone = ending(10)
    gone.participant.erased_at = gone.participant.created_at
    gone.participant.save()
    StatusFactory(valid_until=today + timedelta(days=3))  # another network

    assert list(statuses_ending_soon(network, today)) == [today_, tomorrow, last_day]


@pytest.mark.django_db
def test_a_person_with_a_short_follow_up_is_not_invited_for_the_old_status():
    # Networks with one-month statuses: on 30 January both periods end within 30 days.
    network = NetworkFactory(status_validity=StatusValidity.MONTHS, status_validity_months=1)
    someone = ParticipantFactory(network=network)
    january = StatusFactory(
        participant=someone, valid_from=date(2026, 1, 1), valid_until=date(2026, 1, 31)
    )
    [february] = status_grant(participant=someone, basis=january.basis, valid_from=date(2026, 2, 1))

    listed = list(statuses_ending_soon(network, date(2026, 1, 30)))

    assert listed == [february]


@pytest.mark.django_db
def test_a_status_of_more_than_ten_years_is_refused_with_a_message():
    from datetime import date

    from vrijuit.participants.exceptions import StatusRefused
    from vrijuit.participants.services import status_grant
    from vrijuit.participants.tests.factories import ParticipantFactory

    participant = ParticipantFactory()

    with pytest.raises(StatusRefused) as refusal:
        status_grant(
            participant=participant,
            basis="income",
            valid_from=date(2026, 1, 1),
            valid_until=date(9999, 12, 31),
        )

    assert "valid_until" in refusal.value.errors
    assert not participant.statuses.exists()
