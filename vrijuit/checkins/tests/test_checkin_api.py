"""The tariff question, check-in and cancellation through the API (docs/api.md, docs/rules.md)."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest

from django.utils import timezone

from vrijuit.api.models import hash_token
from vrijuit.catalogue.tests.factories import ActivityFactory, OccurrenceFactory
from vrijuit.checkins.constants import CheckInState
from vrijuit.checkins.models import Budget, CheckIn
from vrijuit.core.models import AuditEvent
from vrijuit.core.roles import Role
from vrijuit.networks.constants import BudgetMode
from vrijuit.passes.numbers import format_number, luhn_check_digit
from vrijuit.passes.tests.factories import PassFactory

from .conftest import person

pytestmark = pytest.mark.django_db


def checkin(api_client, door, number=None, token=None, occurrence=None, **extra):
    body = {
        "pass_number": number or door.pass_.number,
        "occurrence": str(occurrence or door.occurrence.pk),
        "idempotency_key": str(extra.pop("key", uuid.uuid4())),
        **extra,
    }
    return api_client.post("/checkins", body, token=token or door.token)


def tariff(api_client, door, number=None, token=None, occurrence=None, **kw):
    body = {
        "pass_number": number or door.pass_.number,
        "occurrence": str(occurrence or door.occurrence.pk),
    }
    return api_client.post("/tariffs", body, token=token or door.token, **kw)


def test_accepted_checkin_answers_the_price_and_stores_the_money_facts(api_client, door):
    response = checkin(api_client, door)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["price_to_pay"] == "2.40"
    assert body["regular_price"] == "12.00"
    assert body["discount"] == "9.60"
    assert body["reimbursement"] == "4.80"
    assert body["first_name"] == "Amira"
    assert body["grace_period"] is False
    assert "€\xa02,40" in body["message"]
    stored = CheckIn.objects.get(pk=body["id"])
    assert (stored.regular_price, stored.paid, stored.discount) == (
        Decimal("12.00"),
        Decimal("2.40"),
        Decimal("9.60"),
    )
    assert (stored.reimbursement, stored.organiser_cost) == (Decimal("4.80"), Decimal("4.80"))
    assert stored.organiser == door.organiser
    assert stored.token.key_hash == hash_token(door.token)
    assert stored.participant == door.participant
    assert Budget.objects.get(network=door.network).spent == Decimal("4.80")


def test_the_number_may_be_typed_with_spaces(api_client, door):
    response = checkin(api_client, door, number=format_number(door.pass_.number))
    assert response.status_code == 201


def test_an_organiser_never_receives_more_than_the_first_name(api_client, door):
    body = checkin(api_client, door).json()
    text = str(body)
    participant = door.participant
    assert participant.last_name not in text
    assert participant.birth_date.isoformat() not in text
    assert participant.postal_code not in text
    tariff_text = tariff(api_client, door).text
    assert participant.last_name not in tariff_text
    assert "basis" not in tariff_text


def test_a_later_tariff_change_never_alters_a_past_checkin(api_client, door):
    body = checkin(api_client, door).json()
    door.activity.regular_price = Decimal("20.00")
    door.activity.save()
    door.network.participant_share = Decimal("50")
    door.network.organiser_share = Decimal("25")
    door.network.municipality_share = Decimal("25")
    door.network.save()
    stored = CheckIn.objects.get(pk=body["id"])
    assert (stored.paid, stored.reimbursement) == (Decimal("2.40"), Decimal("4.80"))


# --- the rules, in order -------------------------------------------------------------------


def refused(response, code, status=422):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code
    assert body["detail"]
    return body


def test_rule_1_a_mistyped_number_is_refused_before_any_lookup(
    api_client, door, django_assert_max_num_queries
):
    wrong = door.pass_.number[:-1] + str((int(door.pass_.number[-1]) + 1) % 10)
    refused(checkin(api_client, door, number=wrong), "invalid_pass_number")
    refused(checkin(api_client, door, number="123"), "invalid_pass_number")
    refused(checkin(api_client, door, number="abcdefghijklm"), "invalid_pass_number")
    assert not CheckIn.objects.exists()


def test_rule_2_a_valid_number_nobody_has(api_client, door):
    payload = "123456789012"
    refused(checkin(api_client, door, number=payload + luhn_check_digit(payload)), "unknown_pass")


def test_rule_2_a_pass_of_another_network_is_unknown_here(api_client, door):
    _, other_pass = person(door.world.other)
    refused(checkin(api_client, door, number=other_pass.number), "unknown_pass")


def test_rule_3_a_blocked_pass_is_refused_even_for_a_closed_date(api_client, door):
    blocked = PassFactory(participant=door.participant, blocked=True)
    closed = OccurrenceFactory(activity=door.activity)  # next week: not open yet
    body = refused(
        checkin(api_client, door, number=blocked.number, occurrence=closed.pk), "pass_blocked"
    )
    assert "blocked" in body["detail"] or "geblokkeerd" in body["detail"]


def test_rule_4_a_date_next_week_is_not_open_yet(api_client, door):
    later = OccurrenceFactory(activity=door.activity)
    refused(checkin(api_client, door, occurrence=later.pk), "occurrence_closed")


def test_rule_4_check_in_opens_two_hours_before_the_start(api_client, door):
    now = timezone.now()
    soon = OccurrenceFactory(activity=door.activity, start=now + timedelta(minutes=110), end=None)
    assert checkin(api_client, door, occurrence=soon.pk).status_code == 201
    later = OccurrenceFactory(activity=door.activity, start=now + timedelta(minutes=130), end=None)
    refused(checkin(api_client, door, occurrence=later.pk), "occurrence_closed")


def test_rule_4_a_cancelled_date_is_closed(api_client, door):
    door.occurrence.cancelled_at = timezone.now()
    door.occurrence.save()
    refused(checkin(api_client, door), "occurrence_closed")


def test_rule_4_an_unknown_date_is_closed(api_client, door):
    refused(checkin(api_client, door, occurrence=uuid.uuid4()), "occurrence_closed")


def test_rule_4_another_organisers_date(api_client, door):
    other = ActivityFactory(network=door.network, organiser__network=door.network)
    date = OccurrenceFactory(activity=other, start=door.occurrence.start, end=door.occurrence.end)
    body = refused(checkin(api_client, door, occurrence=date.pk), "not_your_activity")
    # the desk and the coordinator check in on any organiser's behalf
    assert checkin(api_client, door, occurrence=date.pk, token=door.desk_token).status_code == 201
    assert "first_name" not in body


@pytest.mark.parametrize("traits", [{"expired": True}, {"suspended": True}, {"ended": True}])
def test_rule_5_no_valid_status(api_client, door, traits):
    _, pass_ = person(door.network, **traits)
    refused(checkin(api_client, door, number=pass_.number), "no_valid_status")


def test_rule_5_no_status_at_all(api_client, door):
    _, pass_ = person(door.network, status=False)
    refused(checkin(api_client, door, number=pass_.number), "no_valid_status")


def test_rule_5_grace_period_is_accepted_and_says_to_renew(api_client, door):
    _, pass_ = person(door.network, in_grace=True)
    response = checkin(api_client, door, number=pass_.number)
    assert response.status_code == 201
    body = response.json()
    assert body["grace_period"] is True
    assert "Overgangsperiode" in body["message"] and "verlengen" in body["message"]
    assert CheckIn.objects.get(pk=body["id"]).grace_period is True


def test_rule_6_a_second_checkin_at_the_same_date_is_a_conflict(api_client, door):
    assert checkin(api_client, door).status_code == 201
    refused(checkin(api_client, door), "already_checked_in", status=409)
    assert CheckIn.objects.count() == 1


def test_rule_6_a_replacement_pass_does_not_check_the_person_in_twice(api_client, door):
    assert checkin(api_client, door).status_code == 201
    door.pass_.state = "replaced"
    door.pass_.save()
    new = PassFactory(participant=door.participant)
    refused(checkin(api_client, door, number=new.number), "already_checked_in", status=409)


def test_rule_7_one_reduced_checkin_per_activity_per_year(api_client, door):
    door.network.max_checkins_per_activity_per_year = 1
    door.network.save()
    assert checkin(api_client, door).status_code == 201
    second = OccurrenceFactory(
        activity=door.activity, start=door.occurrence.start, end=door.occurrence.end
    )
    refused(checkin(api_client, door, occurrence=second.pk), "limit_reached")


def test_rule_7_maximum_discount_per_year(api_client, door):
    door.network.max_discount_per_year = Decimal("15.00")
    door.network.save()
    assert checkin(api_client, door).status_code == 201  # discount 9.60
    second = OccurrenceFactory(
        activity=door.activity, start=door.occurrence.start, end=door.occurrence.end
    )
    refused(checkin(api_client, door, occurrence=second.pk), "limit_reached")  # 19.20 > 15


def test_rule_7_a_cancelled_checkin_does_not_count(api_client, door):
    door.network.max_checkins_per_activity_per_year = 1
    door.network.save()
    first = checkin(api_client, door).json()
    assert api_client.post(f"/checkins/{first['id']}/cancel", token=door.token).status_code == 200
    second = OccurrenceFactory(
        activity=door.activity, start=door.occurrence.start, end=door.occurrence.end
    )
    assert checkin(api_client, door, occurrence=second.pk).status_code == 201


def test_rule_8_a_hard_budget_refuses_what_it_cannot_cover(api_client, door):
    Budget.objects.create(
        network=door.network, year=timezone.localdate().year, amount=Decimal("5.00")
    )
    assert checkin(api_client, door).status_code == 201  # 4.80 of 5.00
    _, second = person(door.network)
    refused(checkin(api_client, door, number=second.number), "budget_exhausted")
    assert Budget.objects.get(network=door.network).spent == Decimal("4.80")


def test_rule_8_in_warning_mode_accepts_and_flags(api_client, door):
    door.network.budget_mode = BudgetMode.WARN
    door.network.save()
    Budget.objects.create(
        network=door.network, year=timezone.localdate().year, amount=Decimal("5.00")
    )
    checkin(api_client, door)
    _, second = person(door.network)
    body = checkin(api_client, door, number=second.number).json()
    assert CheckIn.objects.get(pk=body["id"]).over_budget is True
    assert Budget.objects.get(network=door.network).spent == Decimal("9.60")


def test_free_activity_needs_no_budget(api_client, door):
    Budget.objects.create(
        network=door.network, year=timezone.localdate().year, amount=Decimal("0.00")
    )
    door.activity.regular_price = Decimal("0.00")
    door.activity.save()
    body = checkin(api_client, door).json()
    assert body["price_to_pay"] == "0.00"


def test_the_first_failing_rule_decides(api_client, door):
    # blocked pass (rule 3) at a closed date (rule 4) without status (rule 5): rule 3 answers
    participant, _ = person(door.network, status=False)
    participant.passes.update(state="blocked", block_reason="lost", blocked_at=timezone.now())
    pass_ = participant.passes.get()
    later = OccurrenceFactory(activity=door.activity)
    refused(checkin(api_client, door, number=pass_.number, occurrence=later.pk), "pass_blocked")


@pytest.mark.parametrize(
    ("language", "word"),
    [("nl", "pasnummer"), ("fr", "carte"), ("en", "pass number")],
)
def test_refusals_speak_the_requests_language(api_client, door, language, word):
    response = api_client.post(
        "/checkins",
        {
            "pass_number": "1234",
            "occurrence": str(door.occurrence.pk),
            "idempotency_key": str(uuid.uuid4()),
        },
        token=door.token,
        language=language,
    )
    assert word in response.json()["detail"].lower()


# --- idempotency and offline scans ---------------------------------------------------------


def test_the_same_key_returns_the_first_answer_without_a_second_checkin(api_client, door):
    key = uuid.uuid4()
    first = checkin(api_client, door, key=key)
    again = checkin(api_client, door, key=key)
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert CheckIn.objects.count() == 1
    assert Budget.objects.get(network=door.network).spent == Decimal("4.80")


def test_the_same_key_with_another_body_is_a_conflict(api_client, door):
    key = uuid.uuid4()
    checkin(api_client, door, key=key)
    _, other = person(door.network)
    refused(checkin(api_client, door, number=other.number, key=key), "idempotency_conflict", 409)
    assert CheckIn.objects.count() == 1


def test_a_refusal_is_replayed_for_the_same_key(api_client, door):
    key = uuid.uuid4()
    _, no_status = person(door.network, status=False)
    refused(checkin(api_client, door, number=no_status.number, key=key), "no_valid_status")
    refused(checkin(api_client, door, number=no_status.number, key=key), "no_valid_status")


def test_keys_belong_to_their_token(api_client, door):
    key = uuid.uuid4()
    assert checkin(api_client, door, key=key).status_code == 201
    _, other = person(door.network)
    response = checkin(api_client, door, number=other.number, key=key, token=door.desk_token)
    assert response.status_code == 201


def test_an_offline_scan_is_evaluated_as_of_its_time(api_client, door):
    yesterday = timezone.now() - timedelta(days=1)
    past = OccurrenceFactory(
        activity=door.activity,
        start=yesterday - timedelta(minutes=30),
        end=yesterday + timedelta(hours=1),
    )
    response = checkin(api_client, door, occurrence=past.pk, scanned_at=yesterday.isoformat())
    assert response.status_code == 201, response.content
    stored = CheckIn.objects.get(pk=response.json()["id"])
    assert abs(stored.scanned_at - yesterday) < timedelta(seconds=1)
    assert stored.received_at > stored.scanned_at
    # without scanned_at the same date is closed now
    refused(checkin(api_client, door, occurrence=past.pk), "occurrence_closed")


def test_an_offline_scan_of_a_then_valid_status(api_client, door):
    # the status ran out 40 days ago (10 days past grace); a scan 7 days ago was in grace
    today = timezone.localdate()
    participant, pass_ = person(door.network, status=False)
    from vrijuit.participants.tests.factories import StatusFactory

    StatusFactory(
        participant=participant,
        valid_from=today - timedelta(days=200),
        valid_until=today - timedelta(days=36),
    )
    scanned = timezone.now() - timedelta(days=6, hours=23)
    past = OccurrenceFactory(
        activity=door.activity,
        start=scanned - timedelta(minutes=5),
        end=scanned + timedelta(hours=1),
    )
    response = checkin(
        api_client, door, number=pass_.number, occurrence=past.pk, scanned_at=scanned.isoformat()
    )
    assert response.status_code == 201, response.content
    assert response.json()["grace_period"] is True


def test_scans_older_than_seven_days_or_in_the_future_are_refused(api_client, door):
    old = timezone.now() - timedelta(days=7, minutes=1)
    refused(checkin(api_client, door, scanned_at=old.isoformat()), "scan_too_old")
    future = timezone.now() + timedelta(hours=1)
    refused(checkin(api_client, door, scanned_at=future.isoformat()), "scan_in_future")


# --- tariff question -------------------------------------------------------------------


def test_tariff_answers_the_price_without_checking_in(api_client, door):
    response = tariff(api_client, door)
    assert response.status_code == 200
    body = response.json()
    assert body["price_to_pay"] == "2.40"
    assert body["regular_price"] == "12.00"
    assert body["status_state"] == "active"
    assert body["first_name"] == "Amira"
    assert body["code"] is None
    assert not CheckIn.objects.exists()


def test_tariff_gives_the_refusal_a_checkin_would_get(api_client, door):
    _, no_status = person(door.network, status=False)
    body = tariff(api_client, door, number=no_status.number).json()
    assert body["code"] == "no_valid_status"
    assert body["price_to_pay"] == "12.00"
    assert body["status_state"] == "none"
    assert body["detail"]
    checkin(api_client, door)
    assert tariff(api_client, door).json()["code"] == "already_checked_in"


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.FINANCE, Role.VOLUNTEER])
def test_roles_without_checkin_are_forbidden(api_client, door, role):
    token = door.world.tokens["own", role]
    assert tariff(api_client, door, token=token).status_code == 403
    assert checkin(api_client, door, token=token).status_code == 403


def test_missing_fields_and_bad_keys_are_422(api_client, door):
    response = api_client.post("/checkins", {"pass_number": door.pass_.number}, token=door.token)
    assert response.status_code == 422
    assert set(response.json()["errors"]) >= {"occurrence", "idempotency_key"}
    response = checkin(api_client, door, key="not-a-uuid")
    assert response.status_code == 422


# --- cancellation ------------------------------------------------------------------------


def test_cancel_releases_the_budget_and_is_audited(api_client, door):
    body = checkin(api_client, door).json()
    response = api_client.post(
        f"/checkins/{body['id']}/cancel", {"reason": "verkeerde persoon"}, token=door.token
    )
    assert response.status_code == 200
    assert response.json()["state"] == "cancelled"
    stored = CheckIn.objects.get(pk=body["id"])
    assert stored.state == CheckInState.CANCELLED
    assert Budget.objects.get(network=door.network).spent == Decimal("0.00")
    event = AuditEvent.objects.get(action="cancel")
    assert event.object_id == body["id"]
    # the person can be checked in again
    assert checkin(api_client, door).status_code == 201


def test_organiser_cancels_only_within_24_hours_coordinator_any_time(api_client, door):
    body = checkin(api_client, door).json()
    CheckIn.objects.filter(pk=body["id"]).update(received_at=timezone.now() - timedelta(hours=25))
    refused(api_client.post(f"/checkins/{body['id']}/cancel", token=door.token), "cancel_too_late")
    response = api_client.post(f"/checkins/{body['id']}/cancel", token=door.coordinator_token)
    assert response.status_code == 200


def test_cancelling_another_organisers_or_networks_checkin_is_not_found(api_client, door):
    other_activity = ActivityFactory(network=door.network, organiser__network=door.network)
    date = OccurrenceFactory(
        activity=other_activity, start=door.occurrence.start, end=door.occurrence.end
    )
    body = checkin(api_client, door, occurrence=date.pk, token=door.desk_token).json()
    assert api_client.post(f"/checkins/{body['id']}/cancel", token=door.token).status_code == 404
    other_coordinator = door.world.tokens["other", Role.COORDINATOR]
    assert (
        api_client.post(f"/checkins/{body['id']}/cancel", token=other_coordinator).status_code
        == 404
    )


def test_cancelling_twice_gives_the_same_answer(api_client, door):
    body = checkin(api_client, door).json()
    api_client.post(f"/checkins/{body['id']}/cancel", token=door.token)
    again = api_client.post(f"/checkins/{body['id']}/cancel", token=door.token)
    assert again.status_code == 200
    assert Budget.objects.get(network=door.network).spent == Decimal("0.00")


# --- what a scanner lists ----------------------------------------------------------------


def test_checkin_dates_lists_the_organisers_dates_of_today(api_client, door):
    other_activity = ActivityFactory(network=door.network, organiser__network=door.network)
    OccurrenceFactory(activity=other_activity, start=door.occurrence.start)
    dates = api_client.get("/checkin-dates", token=door.token).json()
    assert [d["id"] for d in dates] == [str(door.occurrence.pk)]
    assert dates[0]["open_for_checkin"] is True
    assert dates[0]["reduced_price"] == "2.40"
    assert len(api_client.get("/checkin-dates", token=door.desk_token).json()) == 2


def test_checkin_list_of_a_date(api_client, door, django_assert_max_num_queries):
    for _ in range(3):
        _, pass_ = person(door.network)
        checkin(api_client, door, number=pass_.number)
    with django_assert_max_num_queries(6):
        response = api_client.get(f"/checkins?occurrence={door.occurrence.pk}", token=door.token)
    rows = response.json()
    assert len(rows) == 3
    assert {r["first_name"] for r in rows} == {"Amira"}


@pytest.mark.parametrize("regular", ["13.30", "0.60", "0.51", "7.45", "199.99"])
def test_prices_that_floats_cannot_hold_exactly_check_in(api_client, door, regular):
    # SQLite keeps decimals as binary floats: 13.30 - 2.70 is not 10.60 there.
    door.activity.regular_price = Decimal(regular)
    door.activity.save()
    response = checkin(api_client, door)
    assert response.status_code == 201, response.content
    stored = CheckIn.objects.get()
    assert stored.discount == stored.regular_price - stored.paid


def test_a_hard_budget_takes_a_checkin_that_fits_it_to_the_cent(api_client, door):
    # 2.98 + 2.98 + 1.60 = 7.56 exactly (in floats 5.96 + 1.6 = 7.5600000000000005)
    Budget.objects.create(
        network=door.network, year=timezone.localdate().year, amount=Decimal("7.56")
    )
    for regular in ("7.45", "7.45", "4.00"):
        activity = ActivityFactory(
            organiser=door.organiser, network=door.network, regular_price=Decimal(regular)
        )
        date = OccurrenceFactory(
            activity=activity, start=door.occurrence.start, end=door.occurrence.end
        )
        _, pass_ = person(door.network)
        response = checkin(api_client, door, number=pass_.number, occurrence=date.pk)
        assert response.status_code == 201, response.content
    assert Budget.objects.get(network=door.network).spent == Decimal("7.56")
