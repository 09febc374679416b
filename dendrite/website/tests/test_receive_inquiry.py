"""receive_inquiry: the lead, the staff notice and the acknowledgement are stored
together or not at all, and a form's token stores one lead at most."""

import pytest
from django_tasks_db.models import DBTaskResult

from dendrite.leads.models import Lead
from dendrite.website import actions
from dendrite.website.actions import AlreadySent, receive_inquiry

pytestmark = pytest.mark.django_db(transaction=True)


def fields(location) -> dict[str, object]:
    return {
        "location": location,
        "name": "Dana Example",
        "email": "dana@example.test",
        "phone": "",
        "reasons": ["anxiety"],
        "consent_to_contact": True,
    }


def test_if_the_acknowledgement_cannot_be_queued_the_lead_is_not_kept_either(inboxes, monkeypatch):
    def broken_queue(*args, **kwargs):
        raise RuntimeError("queue unavailable")

    monkeypatch.setattr(actions, "send_later", broken_queue)
    with pytest.raises(RuntimeError):
        receive_inquiry(token="t-1", **fields(inboxes["boston"]))
    assert not Lead.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_token_already_used_stores_nothing_more(inboxes):
    receive_inquiry(token="t-1", **fields(inboxes["boston"]))
    with pytest.raises(AlreadySent):
        receive_inquiry(token="t-1", **fields(inboxes["boston"]))
    assert Lead.objects.count() == 1
    assert DBTaskResult.objects.count() == 2
    receive_inquiry(token="t-2", **fields(inboxes["boston"]))
    assert Lead.objects.count() == 2
