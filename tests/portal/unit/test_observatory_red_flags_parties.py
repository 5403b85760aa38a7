"""Red flags about parties: R038 a buyer's or bidder's disqualification rate an outlier (above Q3 + 1.5 IQR,
nothing with too few points), and R044 bidders of one call sharing contact details or a bank account."""

from __future__ import annotations

from services.portal.domain.observatory.ocds_read import read_calls
from services.portal.domain.observatory.red_flags import FlagRules
from services.portal.domain.observatory.red_flags_parties import disqualification_outliers, shared_contacts
from tests.portal.unit.observatory_releases import call, party, supplier_id

RULES = FlagRules()


def with_bids(number: int, district: str, disqualified: tuple[int, ...]) -> dict:
    details = [
        {
            "id": f"b{n}",
            "status": "disqualified" if n in disqualified else "valid",
            "tenderers": [{"id": supplier_id(n)}],
        }
        for n in (1, 2, 3, 4)
    ]
    return call(number, district=district, bidders=(1, 2, 3, 4), bids={"details": details})


def test_r038_flags_the_buyer_whose_disqualification_rate_is_above_the_upper_fence():
    releases = [
        with_bids(1, "MD-AN", ()),
        with_bids(2, "MD-BA", ()),
        with_bids(3, "MD-CA", (2,)),
        with_bids(4, "MD-ED", ()),
        with_bids(5, "MD-CU", (1, 3, 4)),  # 3 of 4: rates 0, 0, 0, .25, .75 -> fence .625
    ]
    flag = disqualification_outliers(read_calls(releases), RULES)
    assert [(c.ocid, c.detail) for c in flag.flagged] == [
        ("ocds-sscp01-5", "buyer MD-CU-DAS: 3 of 4 bids disqualified (0.7500 > 0.6250)")
    ]
    # every bidder was disqualified once in five bids: equal rates, so no bidder is an outlier
    assert flag.parameters["fences"] == {"buyer": "0.6250", "bidder": "0.2000"}


def test_r038_calls_nothing_an_outlier_with_fewer_parties_than_the_minimum():
    releases = [with_bids(1, "MD-AN", ()), with_bids(2, "MD-BA", ()), with_bids(3, "MD-CU", (1, 2, 3, 4))]
    flag = disqualification_outliers(read_calls(releases), RULES)
    assert flag.flagged == () and flag.parameters["fences"]["buyer"] is None


def test_r038_on_the_platform_data_says_bid_details_are_not_published():
    flag = disqualification_outliers(read_calls([call(1)]), RULES)
    assert (flag.checked, flag.flagged, flag.missing) == (0, (), ("bids.details",))


def test_r044_flags_bidders_of_one_call_sharing_a_phone_an_email_or_a_bank_account():
    bank = {"details": {"bankAccounts": [{"accountIdentification": {"scheme": "IBAN", "id": "MD24AG000000022512345"}}]}}
    parties = [
        party(1, contactPoint={"telephone": "+373 22 123 456", "email": "Office@Grija.md"}, **bank),
        party(2, contactPoint={"telephone": "+37322123456", "email": "office@grija.md"}),
        party(3, **bank),
    ]
    flag = shared_contacts(read_calls([call(1, bidders=(1, 2, 3), parties=parties)]))
    assert [c.detail for c in flag.flagged] == [
        f"{supplier_id(1)} and {supplier_id(2)} share telephones, emails",
        f"{supplier_id(1)} and {supplier_id(3)} share bank_accounts",
    ]
    assert flag.missing == ()


def test_r044_does_not_compare_bidders_of_different_calls_nor_a_call_with_one_bidder():
    phone = {"contactPoint": {"telephone": "022 123 456"}}
    releases = [
        call(1, bidders=(1,), parties=[party(1, **phone)]),
        call(2, bidders=(2, 3), parties=[party(2, **phone), party(3)]),
    ]
    flag = shared_contacts(read_calls(releases))
    assert (flag.flagged, flag.checked) == ((), 1)


def test_r044_on_the_platform_data_names_the_party_fields_it_lacks():
    flag = shared_contacts(read_calls([call(1, bidders=(1, 2))]))
    assert flag.flagged == () and flag.missing == (
        "parties.address",
        "parties.contactPoint",
        "parties.details.bankAccounts",
    )
