"""The SEPA credit transfer file of a payment batch (pain.001.001.03), checked against the
official XSD; the payer's and organisers' accounts (issue 6, part 3)."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from django.core.exceptions import ValidationError
from django.utils import translation

from vrijuit.core import banking
from vrijuit.core.roles import Role
from vrijuit.desk.forms import NetworkSettingsForm
from vrijuit.finance.models import Statement
from vrijuit.finance.sepa import SepaRefused, build_pain001, sepa_text, validate_pain001

from .builders import (
    PAYER,
    approved_statements,
    batch_of,
    scan,
    second_activity,
    two_organiser_batch,
    with_payer,
)

pytestmark = pytest.mark.django_db

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


def parse(xml):
    return ET.fromstring(xml)  # noqa: S314 (our own file)


def texts(root, path):
    return [node.text for node in root.findall(path, NS)]


def transactions(root):
    return root.findall("p:CstmrCdtTrfInitn/p:PmtInf/p:CdtTrfTxInf", NS)


def tx_by_name(root, name):
    return next(tx for tx in transactions(root) if tx.findtext("p:Cdtr/p:Nm", None, NS) == name)


@pytest.fixture
def batch(door):
    with_payer(door.network)
    batch, _statements = two_organiser_batch(door)
    return batch


# --- the file ------------------------------------------------------------------------------


def test_the_file_validates_against_the_official_xsd(batch):
    xml = build_pain001(batch)
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    validate_pain001(xml)  # raises when it does not follow the schema
    root = parse(xml)
    assert root.tag == "{urn:iso:std:iso:20022:tech:xsd:pain.001.001.03}Document"
    assert len(root.findall("p:CstmrCdtTrfInitn/p:PmtInf", NS)) == 1


def test_amounts_add_up_to_the_batch_total(batch):
    root = parse(build_pain001(batch))
    statements = list(batch.statements.all())
    assert batch.total == Decimal("19.20")
    amounts = [Decimal(a) for a in texts(root, ".//p:CdtTrfTxInf/p:Amt/p:InstdAmt")]
    assert sum(amounts) == batch.total
    for path in ("p:CstmrCdtTrfInitn/p:GrpHdr", "p:CstmrCdtTrfInitn/p:PmtInf"):
        assert Decimal(root.findtext(f"{path}/p:CtrlSum", None, NS)) == batch.total
        assert int(root.findtext(f"{path}/p:NbOfTxs", None, NS)) == len(statements) == 2
    assert {tx.find("p:Amt/p:InstdAmt", NS).get("Ccy") for tx in transactions(root)} == {"EUR"}


def test_one_transfer_per_statement_with_its_own_end_to_end_id(batch):
    root = parse(build_pain001(batch))
    ids = texts(root, ".//p:CdtTrfTxInf/p:PmtId/p:EndToEndId")
    assert sorted(ids) == sorted(s.pk.hex for s in batch.statements.all())
    assert all(len(i) <= 35 for i in ids)
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:MsgId", None, NS) == batch.reference


def test_debtor_is_the_networks_payer_and_the_date_is_the_execution_date(batch):
    info = parse(build_pain001(batch)).find("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    assert info.findtext("p:Dbtr/p:Nm", None, NS) == "Gemeente Borsbeek"
    assert info.findtext("p:DbtrAcct/p:Id/p:IBAN", None, NS) == "BE10091012345604"
    assert info.findtext("p:DbtrAgt/p:FinInstnId/p:BIC", None, NS) == "GKCCBEBB"
    assert info.findtext("p:ReqdExctnDt", None, NS) == batch.execution_date.isoformat()
    assert info.findtext("p:PmtTpInf/p:SvcLvl/p:Cd", None, NS) == "SEPA"


def test_creditors_name_iban_bic_and_dutch_remittance(batch, door):
    root = parse(build_pain001(batch))
    month = f"{batch.statements.first().period_start:%Y-%m}"
    club = tx_by_name(root, door.organiser.name)
    assert club.findtext("p:CdtrAcct/p:Id/p:IBAN", None, NS) == "BE68539007547034"
    # no BIC is known for this (demo) bank code: inside the EEA the IBAN is enough
    assert club.find("p:CdtrAgt", NS) is None
    assert club.findtext("p:RmtInf/p:Ustrd", None, NS) == (
        f"Vrijuit terugbetaling {month} {door.organiser.name}"
    )
    other = tx_by_name(root, "Turnkring Sint-Jozef")
    assert other.findtext("p:CdtrAcct/p:Id/p:IBAN", None, NS) == "BE62510007547061"
    assert other.findtext("p:CdtrAgt/p:FinInstnId/p:BIC", None, NS) == "VAPEBE22"  # from IBAN
    assert Decimal(other.findtext("p:Amt/p:InstdAmt", None, NS)) == Decimal("4.80")


def test_names_are_written_in_the_sepa_character_set(door):
    with_payer(door.network, payer_name="Gemeente Sint-Gillis-Waas & OCMW")
    door.organiser.name = "Zoë's Dansschool <Ça va>"
    door.organiser.save()
    scan(door, door.pass_)
    xml = build_pain001(batch_of(door, approved_statements(door)))
    root = parse(xml)
    assert texts(root, ".//p:Cdtr/p:Nm") == ["Zoe's Dansschool Ca va"]
    assert texts(root, ".//p:Dbtr/p:Nm") == ["Gemeente Sint-Gillis-Waas + OCMW"]
    assert sepa_text("Łukasz – “Ñandú”", 70) == "Lukasz - Nandu"
    assert len(sepa_text("x" * 200, 140)) == 140


def test_a_statement_of_zero_is_left_out(batch):
    first, second = batch.statements.order_by("organiser__name")
    Statement.objects.filter(pk=first.pk).update(total=Decimal("0.00"))
    type(batch).objects.filter(pk=batch.pk).update(total=second.total)
    batch.refresh_from_db()
    root = parse(build_pain001(batch))
    assert texts(root, ".//p:EndToEndId") == [second.pk.hex]
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", None, NS) == "1"


def test_statements_that_no_longer_add_up_to_the_batch_are_refused(batch):
    type(batch).objects.filter(pk=batch.pk).update(total=Decimal("20.00"))
    batch.refresh_from_db()
    with pytest.raises(SepaRefused) as refused:
        build_pain001(batch)
    assert refused.value.code == "sepa_total_mismatch"


# --- the schema check itself ---------------------------------------------------------------


def test_a_broken_file_does_not_validate(batch):
    xml = build_pain001(batch)
    broken = [
        xml.replace(b"<IBAN>BE62510007547061</IBAN>", b"<IBAN>not an IBAN</IBAN>"),
        xml.replace(b"<BIC>VAPEBE22</BIC>", b"<BIC>vape</BIC>"),
        xml.replace(b"<PmtMtd>TRF</PmtMtd>", b""),  # a required element missing
        xml.replace(b"<PmtMtd>TRF</PmtMtd>", b"<PmtMtd>DD</PmtMtd>"),  # not a code
        xml.replace(b">4.80<", b">4,80<"),
        xml.replace(b"pain.001.001.03", b"pain.001.001.09"),  # another namespace
        xml[: len(xml) // 2],  # not even well-formed
    ]
    for bad in broken:
        assert bad != xml
        with pytest.raises(SepaRefused) as refused:
            validate_pain001(bad)
        assert refused.value.code == "sepa_invalid_file"
        assert refused.value.errors["file"]
        assert "SEPA" in str(refused.value.message)


# --- accounts ------------------------------------------------------------------------------


def test_the_file_is_refused_without_the_payers_details(door):
    scan(door, door.pass_)
    batch = batch_of(door, approved_statements(door))
    for missing in ("payer_name", "payer_iban"):
        with_payer(door.network, **{missing: ""})
        with pytest.raises(SepaRefused) as refused:
            build_pain001(batch)
        assert refused.value.code == "sepa_payer_missing"
        with translation.override("en"):
            assert "Network settings, Payments" in str(refused.value.message)


def test_the_payers_bic_is_found_from_a_belgian_iban(batch):
    with_payer(batch.network, payer_bic="")
    info = parse(build_pain001(batch)).find("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    assert info.findtext("p:DbtrAgt/p:FinInstnId/p:BIC", None, NS) == "GKCCBEBB"


def test_a_payer_without_a_bic_that_can_be_found_is_refused(batch):
    # a valid IBAN of a bank code schwifty does not know
    with_payer(batch.network, payer_iban="BE68539007547034", payer_bic="")
    with pytest.raises(SepaRefused) as refused:
        build_pain001(batch)
    assert refused.value.code == "sepa_invalid_account"
    assert "BIC" in str(refused.value.message)


def test_an_invalid_payer_iban_is_refused(batch):
    with_payer(batch.network, payer_iban="BE68539007547035")
    with pytest.raises(SepaRefused) as refused:
        build_pain001(batch)
    assert refused.value.code == "sepa_invalid_account"
    assert "IBAN" in str(refused.value.message)


def test_an_organiser_with_an_invalid_iban_is_refused_by_name(batch, door):
    type(door.organiser).objects.filter(pk=door.organiser.pk).update(iban="BE68539007547035")
    with pytest.raises(SepaRefused) as refused:
        build_pain001(batch)
    assert refused.value.code == "sepa_invalid_account"
    assert door.organiser.name in str(refused.value.message)
    assert "IBAN" in str(refused.value.message)


def test_outside_the_eea_a_bic_is_needed(door):
    with_payer(door.network)
    # Swiss: in the SEPA zone, not in the EEA, and schwifty knows no BIC for this bank code
    _, occurrence = second_activity(
        door, organiser_name="Skischule Zermatt", iban="CH9300762011623852957"
    )
    scan(door, door.pass_, occurrence)
    batch = batch_of(door, approved_statements(door))
    with pytest.raises(SepaRefused) as refused:
        build_pain001(batch)
    assert refused.value.code == "sepa_invalid_account"
    assert "Skischule Zermatt" in str(refused.value.message)
    assert "BIC" in str(refused.value.message)


def test_banking_helpers():
    assert banking.bic_for_iban("BE71 0961 2345 6769") == "GKCCBEBB"
    assert banking.bic_for_iban("BE68539007547034") == ""
    assert banking.bic_for_iban("BE00 0000") == ""
    assert banking.bic_is_valid("GKCCBEBB") and banking.bic_is_valid("GEBABEBB036")
    for bad in ("GKCC", "GKCCXXBB", "gkcc be bb1", "GKCCBEB!"):
        assert not banking.bic_is_valid(bad)
    assert banking.in_eea(banking.parse_iban("NL91ABNA0417164300"))
    assert not banking.in_eea(banking.parse_iban("CH9300762011623852957"))
    with pytest.raises(ValidationError):
        banking.validate_iban("BE68 5390 0754 7035")
    banking.validate_iban("")  # blank is allowed


# --- the payer's details in the network settings --------------------------------------------


def test_network_validates_and_normalises_the_payers_account(world):
    network = world.own
    network.payer_iban = "be10 0910 1234 5604"
    network.payer_bic = "gkcc bebb"
    network.full_clean()
    assert (network.payer_iban, network.payer_bic) == ("BE10091012345604", "GKCCBEBB")
    network.payer_iban, network.payer_bic = "BE10091012345605", "XX"
    with pytest.raises(ValidationError) as invalid:
        network.full_clean()
    assert set(invalid.value.message_dict) == {"payer_iban", "payer_bic"}
    # a valid IBAN whose bank schwifty does not know: the BIC must be filled in
    network.payer_iban, network.payer_bic = "BE68539007547034", ""
    with pytest.raises(ValidationError) as invalid:
        network.full_clean()
    assert set(invalid.value.message_dict) == {"payer_bic"}


def settings_form(network, **changes):
    """The network settings form as it is, with ``changes``."""
    form = NetworkSettingsForm(instance=network)
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else (field.widget.format_value(value) or "")
    return {**data, **changes}


def test_coordinator_fills_in_the_payer_in_the_network_settings(world, login):
    client = login(world.users["own", Role.COORDINATOR])
    url = f"/desk/{world.own.slug}/network/edit/"
    page = client.get(url).content.decode()
    assert 'name="payer_iban"' in page

    response = client.post(
        url,
        settings_form(
            world.own,
            payer_name=PAYER["payer_name"],
            payer_iban="BE10 0910 1234 5604",
            payer_bic="",
        ),
    )

    assert response.status_code == 302, response.context["form"].errors
    world.own.refresh_from_db()
    assert (world.own.payer_name, world.own.payer_iban, world.own.payer_bic) == (
        "Gemeente Borsbeek",
        "BE10091012345604",
        "",
    )
    response = client.post(url, settings_form(world.own, payer_iban="BE10 0910 1234 5600"))
    assert response.status_code == 200
    assert "IBAN" in response.content.decode()
