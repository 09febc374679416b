"""The portal's pages make as many queries with many rows as with few."""

from dendrite.conftest import query_count
from dendrite.outcomes.tests.conftest import open_request
from dendrite.portal import actions

from .conftest import portal_client, soon, visit
from .test_record import consent_for, disclose, registry


def test_pages_do_not_grow_with_the_data(alice_in, nurse):
    client = portal_client(alice_in)
    visit(alice_in, nurse, soon(3))
    open_request(alice_in, ["phq-9"])
    payer = registry(alice_in.location)
    disclose(alice_in, payer, consent=consent_for(alice_in, payer, nurse))
    pages = ("/portal/", "/portal/appointments/", "/portal/questionnaires/", "/portal/security/",
             "/portal/record/")  # fmt: skip
    few = {page: query_count(lambda page=page: client.get(page)) for page in pages}
    for day in range(4, 12):
        visit(alice_in, nurse, soon(day, hour=14))
        visit(alice_in, nurse, soon(-day, hour=14))
    account = alice_in.portal_account
    for number in range(5):
        actions.add_passkey(account, credential_id=f"a2V5{number}", public_key=b"k",
                            sign_count=0, name="Phone")  # fmt: skip
        actions.start_session(account, how="code", device="Phone")
        other = registry(alice_in.location, f"Hospital {number}")
        disclose(alice_in, other, consent=consent_for(alice_in, other, nurse))
        disclose(alice_in, other, exception="Medical emergency: x")
    many = {page: query_count(lambda page=page: client.get(page)) for page in pages}
    assert many == few
