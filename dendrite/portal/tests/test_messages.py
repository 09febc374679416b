"""Secure messages: the patient writes to their location's team, staff of that location
answer from their inbox, the patient is told of an answer without its content."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dendrite.accounts.models import Role
from dendrite.audit.models import AuditEvent
from dendrite.conftest import make_patient, make_user, query_count, signed_in
from dendrite.portal import actions
from dendrite.portal.models import Conversation, Message
from dendrite.scheduling.models import PatientMessage

from .conftest import portal_client

URL = "/portal/messages/"


def test_the_compose_page_warns_that_messages_are_not_for_emergencies(alice_in):
    page = portal_client(alice_in).get(URL)
    assert page.status_code == 200
    assert b"not for emergencies" in page.content
    assert b"988" in page.content and b"911" in page.content


def test_the_patient_sends_and_sees_the_thread(alice_in):
    client = portal_client(alice_in)
    response = client.post(URL, {"body": "Can I take my usual pills before the visit?"})
    assert response.status_code == 302
    conversation = Conversation.objects.get(patient=alice_in)
    assert conversation.location == alice_in.location
    assert conversation.awaiting_reply_since is not None
    assert conversation.reply_due is not None
    assert conversation.reply_due > conversation.awaiting_reply_since
    assert b"usual pills" in client.get(URL).content
    client.post(URL, {"body": "And water?"})
    assert Conversation.objects.count() == 1
    assert Message.objects.count() == 2
    assert AuditEvent.objects.filter(action="portal.message.send").count() == 2
    assert AuditEvent.objects.filter(action="portal.conversation.read").exists()


def test_an_empty_or_too_long_message_is_refused_with_the_text_kept(alice_in):
    client = portal_client(alice_in)
    page = client.post(URL, {"body": "   "})
    assert page.status_code == 400
    assert b"Please write your message." in page.content
    long = "word " * 500
    page = client.post(URL, {"body": long})
    assert page.status_code == 400
    assert b"keep it to 2000" in page.content
    assert b"word word word" in page.content
    assert not Message.objects.exists()


def test_staff_reply_notifies_the_patient_once_without_the_content(alice_in, front_desk):
    actions.send_patient_message(alice_in, "I feel dizzy after the last visit")
    conversation = Conversation.objects.get()
    staff = signed_in(front_desk)
    inbox = staff.get("/staff/messages/")
    assert inbox.status_code == 200 and b"New" in inbox.content
    assert b"new patient message" in staff.get("/staff/").content
    thread = staff.get(f"/staff/messages/{conversation.pk}/")
    assert b"dizzy" in thread.content
    before = PatientMessage.objects.count()
    response = staff.post(f"/staff/messages/{conversation.pk}/", {"body": "Secret dose advice"})
    assert response.status_code == 302
    sent = list(PatientMessage.objects.order_by("id")[before:])
    assert len(sent) == 2  # Alice agreed to e-mail and text: one of each, once
    for message in sent:
        assert "Secret" not in message.body and "dizzy" not in message.body
        assert "Secret" not in message.subject
        assert "sign in" in message.body.lower()
    conversation.refresh_from_db()
    assert conversation.awaiting_reply_since is None and conversation.unread_by_patient
    assert b"new patient message" not in staff.get("/staff/").content
    patient = portal_client(alice_in)
    assert b"You have a new message from the clinic." in patient.get("/portal/").content
    assert b"Secret dose advice" in patient.get(URL).content
    assert b"You have a new message from the clinic." not in patient.get("/portal/").content
    conversation.refresh_from_db()
    assert not conversation.unread_by_patient


def test_a_too_long_reply_keeps_the_text_and_saves_nothing(alice_in, nurse):
    actions.send_patient_message(alice_in, "Hello")
    conversation = Conversation.objects.get()
    page = signed_in(nurse).post(f"/staff/messages/{conversation.pk}/", {"body": "x" * 2001})
    assert page.status_code == 400
    assert b"keep it to 2000" in page.content
    assert Message.objects.count() == 1
    assert not PatientMessage.objects.exists()


def test_assignment_is_audited_and_limited_to_the_team(alice_in, front_desk, nurse, hartford):
    actions.send_patient_message(alice_in, "Hello")
    conversation = Conversation.objects.get()
    elsewhere = make_user("otto_other", Role.NURSE, hartford)
    staff = signed_in(front_desk)
    url = f"/staff/messages/{conversation.pk}/assign/"
    staff.post(url, {"assignee": elsewhere.pk})
    conversation.refresh_from_db()
    assert conversation.assignee is None
    staff.post(url, {"assignee": nurse.pk})
    conversation.refresh_from_db()
    assert conversation.assignee == nurse
    event = AuditEvent.objects.get(action="portal.conversation.assign")
    assert event.actor_username == front_desk.username
    assert event.patient_id == str(alice_in.pk)


def test_staff_of_another_location_cannot_see_the_thread(alice_in, hartford):
    actions.send_patient_message(alice_in, "Private words")
    conversation = Conversation.objects.get()
    other = signed_in(make_user("hal_hartford", Role.FRONT_DESK, hartford))
    assert b"Private words" not in other.get("/staff/messages/").content
    assert b"Alice" not in other.get("/staff/messages/").content
    assert other.get(f"/staff/messages/{conversation.pk}/").status_code == 404
    assert other.post(f"/staff/messages/{conversation.pk}/", {"body": "x"}).status_code == 404
    assert other.post(f"/staff/messages/{conversation.pk}/assign/").status_code == 404
    assert Message.objects.count() == 1


def test_a_patient_sees_nothing_of_another_patients_thread(alice_in, bob_in):
    actions.send_patient_message(bob_in, "Bob's private words")
    page = portal_client(alice_in).get(URL)
    assert b"Bob" not in page.content and b"private words" not in page.content
    assert reverse("portal:messages") == URL


def test_the_inbox_and_the_thread_keep_a_constant_query_count(alice_in, nurse, boston):
    staff = signed_in(nurse)
    actions.send_patient_message(alice_in, "one")
    conversation = Conversation.objects.get()
    inbox_few = query_count(lambda: staff.get("/staff/messages/"))
    thread_few = query_count(lambda: staff.get(f"/staff/messages/{conversation.pk}/"))
    for n in range(6):
        patient = make_patient(boston, f"Pat{n}", "Many")
        actions.send_patient_message(patient, "hello")
        actions.send_patient_message(alice_in, f"more {n}")
        actions.staff_reply(Conversation.objects.get(patient=patient), by=nurse, body="hi")
    assert query_count(lambda: staff.get("/staff/messages/")) == inbox_few
    assert query_count(lambda: staff.get(f"/staff/messages/{conversation.pk}/")) == thread_few
    portal = portal_client(alice_in)
    portal_few = query_count(lambda: portal.get(URL))
    actions.send_patient_message(alice_in, "again")
    assert query_count(lambda: portal.get(URL)) == portal_few


def test_spanish_speakers_get_the_page_and_the_notice_in_spanish(alice_in, nurse):
    alice_in.preferred_language = "es"
    alice_in.save()
    client = portal_client(alice_in)
    client.cookies["django_language"] = "es"
    page = client.get(URL)
    assert b"Los mensajes no son para emergencias." in page.content
    actions.send_patient_message(alice_in, "Hola")
    actions.staff_reply(Conversation.objects.get(), by=nurse, body="Hola, Alice")
    for message in PatientMessage.objects.all():
        assert "Tiene un mensaje nuevo" in message.body
        assert "Alice" not in message.body


PDF = b"%PDF-1.7\n% a letter\n"


def test_a_patient_sends_a_file_that_staff_of_the_location_open(alice_in, front_desk, hartford):
    client = portal_client(alice_in)
    upload = SimpleUploadedFile("alice-lovelace-letter.pdf", PDF, "application/pdf")
    client.post(URL, {"body": "My referral letter", "attachment": upload})
    message = Message.objects.get()
    assert message.attachment_type == "application/pdf" and message.attachment_size == len(PDF)
    assert "lovelace" not in message.attachment.name
    download = client.get(f"/portal/messages/{message.pk}/attachment/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "alice" not in download["Content-Disposition"].lower()
    staff = signed_in(front_desk)
    assert (
        f"/staff/messages/attachments/{message.pk}/".encode()
        in staff.get(f"/staff/messages/{message.conversation_id}/").content
    )
    assert staff.get(f"/staff/messages/attachments/{message.pk}/").status_code == 200
    other = signed_in(make_user("hal_hartford", Role.FRONT_DESK, hartford))
    assert other.get(f"/staff/messages/attachments/{message.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="portal.message.attachment.read").exists()


def test_a_file_of_the_wrong_type_or_size_is_refused_and_the_text_kept(alice_in, settings):
    client = portal_client(alice_in)
    fake = SimpleUploadedFile("letter.pdf", b"<html>not a pdf</html>", "application/pdf")
    page = client.post(URL, {"body": "Here it is", "attachment": fake})
    assert page.status_code == 400
    assert b"Only PDF, PNG and JPEG" in page.content and b"Here it is" in page.content
    settings.DOCUMENTS_MAX_BYTES = 10
    big = SimpleUploadedFile("letter.pdf", PDF, "application/pdf")
    page = client.post(URL, {"body": "Here it is", "attachment": big})
    assert page.status_code == 400 and b"too large" in page.content
    assert not Message.objects.exists()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def staff_thread(alice_in):
    actions.send_patient_message(alice_in, "Could you send me the aftercare sheet?")
    return f"/staff/messages/{Conversation.objects.get().pk}/"


def test_staff_answer_with_a_file_that_only_the_patient_downloads(alice_in, bob_in, nurse):
    thread = staff_thread(alice_in)
    upload = SimpleUploadedFile("lovelace-aftercare.png", PNG, "image/png")
    answer = signed_in(nurse).post(thread, {"body": "Here it is", "attachment": upload})
    assert answer.status_code == 302
    message = Message.objects.get(author=nurse)
    assert (message.attachment_type, message.attachment_size) == ("image/png", len(PNG))
    assert "lovelace" not in message.attachment.name
    reply = AuditEvent.objects.get(action="portal.message.reply")
    assert reply.detail["attachment"] is True
    assert b"The file sent to the patient" in signed_in(nurse).get(thread).content
    patient = portal_client(alice_in)
    page = patient.get(URL).content.decode()
    assert f"/portal/messages/{message.pk}/attachment/" in page
    assert "A file from your care team" in page and "picture, 48" in page
    download = patient.get(f"/portal/messages/{message.pk}/attachment/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    read = AuditEvent.objects.filter(action="portal.message.attachment.read")
    assert read.filter(patient_id=str(alice_in.pk)).exists()
    # Bob cannot download it, and learns nothing: the same 404 as a file that never was.
    other = portal_client(bob_in)
    assert other.get(f"/portal/messages/{message.pk}/attachment/").status_code == 404
    assert other.get(f"/portal/messages/{message.pk + 100}/attachment/").status_code == 404


def test_a_staff_file_of_the_wrong_type_or_size_is_refused_with_the_text_kept(
    alice_in, nurse, settings
):
    thread = staff_thread(alice_in)
    staff = signed_in(nurse)
    fake = SimpleUploadedFile("sheet.pdf", b"MZ\x90\x00 a program", "application/pdf")
    page = staff.post(thread, {"body": "Here is the sheet", "attachment": fake})
    assert page.status_code == 400
    assert b"Only PDF, PNG and JPEG files can be sent" in page.content
    assert b"Here is the sheet" in page.content
    settings.DOCUMENTS_MAX_BYTES = 10
    big = SimpleUploadedFile("sheet.png", PNG, "image/png")
    page = staff.post(thread, {"body": "Here is the sheet", "attachment": big})
    assert page.status_code == 400
    assert b"That file is larger than 10" in page.content and b"Here is the sheet" in page.content
    assert Message.objects.count() == 1  # only the patient's: nothing half-saved
    assert not PatientMessage.objects.filter(subject__contains="new message").exists()
