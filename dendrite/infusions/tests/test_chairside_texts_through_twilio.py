"""A chairside alert's text through the Twilio backend and its SDK, against the fake of
Twilio's API (outbox/tests/fake_twilio.py): a provider error is retried by the queue
(queue.retry_or_give_up) and the prescriber gets one text; a number that cannot take
texts is left failed at once, not retried."""

import pytest

from dendrite.alerts.tests.conftest import texts  # noqa: F401 (a fixture)
from dendrite.infusions.models import ChairsideMessage
from dendrite.outbox.tests.conftest import twilio  # noqa: F401 (a fixture)
from dendrite.outbox.tests.fake_twilio import Refuse

from .test_chairside_alert_repeats import alert, at, reachable  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
Status = ChairsideMessage.Status


def text() -> ChairsideMessage:
    return ChairsideMessage.objects.get(round=1, channel="sms")


def test_a_provider_error_after_it_accepted_is_retried_and_is_one_text(
    alert,  # noqa: F811
    twilio,  # noqa: F811
    run_worker,
    time_machine,
):
    twilio.plan = ["accept, then 500"]
    run_worker()
    assert (text().status, text().last_error) == (
        Status.PENDING, "The text-message provider had an error; the text is tried again."
    )  # fmt: skip
    time_machine.move_to(at(2), tick=False)  # the retry's wait, before the next round
    run_worker()
    assert (text().status, text().attempts) == (Status.SENT, 2)
    assert len(twilio.messages) == 1 and twilio.creates() == 1


def test_a_number_that_cannot_take_texts_is_not_tried_again(
    alert,  # noqa: F811
    twilio,  # noqa: F811
    run_worker,
    time_machine,
):
    twilio.plan = [Refuse(400, 21211, "Invalid 'To' Phone Number")]
    run_worker()
    time_machine.move_to(at(4), tick=False)
    run_worker()
    assert (text().status, text().attempts, text().last_error) == (
        Status.FAILED, 1, "The mobile number is not a valid phone number."
    )  # fmt: skip
    assert twilio.creates() == 1
