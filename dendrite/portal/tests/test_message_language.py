"""What the portal sends is in the patient's language (scheduling.messaging.compose):
the sign-in code, and the notice of a changed mobile number at the old number."""

from django.urls import reverse
from django.utils import translation

from dendrite.portal import actions
from dendrite.scheduling.models import PatientMessage

from .conftest import active_account, portal_client


def test_the_sign_in_code_is_in_spanish_for_a_patient_who_chose_it(alice_in, bob_in):
    alice_in.preferred_language = "es"
    alice_in.save()
    actions.send_code(active_account(alice_in))
    actions.send_code(active_account(bob_in))
    spanish = PatientMessage.objects.get(patient=alice_in, channel="email")
    english = PatientMessage.objects.get(patient=bob_in, channel="email")
    assert spanish.subject == "Su código de acceso a Dendrite"
    assert "código" in PatientMessage.objects.get(patient=alice_in, channel="sms").body
    assert english.subject == "Your Dendrite sign-in code"
    assert translation.get_language() == "en"


def test_a_new_mobile_number_is_told_at_the_old_one(alice_in):
    portal_client(alice_in).post(
        reverse("portal:details"),
        {"email": "alice@example.test", "phone": "(617) 555-0199", "preferred_language": "en",
         "email_messages": "on", "text_messages": "on"},
    )  # fmt: skip
    [notice] = PatientMessage.objects.filter(former_address="+16175550142")
    assert notice.channel == "sms"
    assert "your contact details were changed" in notice.body
    assert "555-0199" not in notice.body and "Alice" not in notice.body
    assert not PatientMessage.objects.filter(channel="email").exclude(former_address="").exists()
