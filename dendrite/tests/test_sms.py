"""The SMS backends (sms.py): the file backend keeps one message per key, which is how
tests see that a reminder was sent exactly once."""

import json

import pytest

from dendrite import sms


@pytest.fixture
def sms_folder(settings, tmp_path):
    settings.SMS_BACKEND = "dendrite.sms.FileBackend"
    settings.SMS_FILE_PATH = tmp_path / "sms"
    return settings.SMS_FILE_PATH


def test_the_file_backend_writes_one_file_per_key(sms_folder):
    sms.get_backend().send("+16175550142", "See you Monday.", key="dendrite-reminder-1")
    [sent] = sms_folder.iterdir()
    assert sent.name == "dendrite-reminder-1.json"
    assert json.loads(sent.read_text()) == {
        "to": "+16175550142", "body": "See you Monday.", "key": "dendrite-reminder-1"
    }  # fmt: skip


def test_a_second_send_with_the_same_key_is_dropped(sms_folder):
    backend = sms.get_backend()
    backend.send("+16175550142", "First.", key="dendrite-reminder-1")
    backend.send("+16175550142", "Second.", key="dendrite-reminder-1")
    [sent] = sms_folder.iterdir()
    assert json.loads(sent.read_text())["body"] == "First."


def test_a_key_that_could_leave_the_folder_is_refused(sms_folder):
    with pytest.raises(ValueError, match="key"):
        sms.get_backend().send("+16175550142", "Hi.", key="../escape")


def test_the_console_backend_prints_the_message(settings, capsys):
    settings.SMS_BACKEND = "dendrite.sms.ConsoleBackend"
    sms.get_backend().send("+16175550142", "See you Monday.", key="k1")
    assert "See you Monday." in capsys.readouterr().out


def test_the_interface_has_to_be_implemented():
    class Incomplete(sms.BaseSmsBackend):
        pass

    # A backend without `send` cannot even be made, let alone asked to send.
    with pytest.raises(TypeError, match="send"):
        Incomplete().send("+16175550142", "Hi.", key="k1")
