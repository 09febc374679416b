"""Text messages through Twilio, with its official SDK, sent once per key.

Set DENDRITE_SMS_BACKEND=dendrite.outbox.twilio.TwilioBackend and the DENDRITE_TWILIO_*
variables (docs/operations.md, "Text messages").

Why Twilio, and how a text is still sent once. Twilio is the provider clinics in the US
most often have a BAA with, but its Messages API takes no idempotency key: a request
sent again is a second text. (Of the others, Telnyx documents an Idempotency-Key header
but not on its messages endpoint; Infobip honours a message id only once its support
has turned that on; Vonage's `client_ref` and AWS's `Context` are labels, not keys.) So
the key the senders pass (dendrite/sms.py) is kept on our side, in an SmsAttempt row:

1. Before the request, the row for the key is stored and committed. A row that already
   holds Twilio's message id was accepted before: nothing is sent (the worker died
   between Twilio's "accepted" and our "sent").
2. A row without an id is a try whose outcome is unknown: the worker died mid-request,
   or the answer was lost (a timeout, a 5xx). Twilio is asked first: a message to the
   same number with the same words (letters and digits: Twilio may have changed the
   punctuation), created since that try began and not already another key's, is that
   try's, and counts as sent. Only if there is none does the
   text go again.
3. Twilio's answer: its message id is stored. A refusal (4xx) means nothing was
   created: the row goes, and a number that cannot take texts (invalid, a landline,
   opted out with STOP) raises queue.Undeliverable, so the sender gives up at once with
   the reason on the staff page instead of trying again. A 429, a 5xx or no answer
   raises queue.SendFailed, and the sender's usual retry (queue.retry_or_give_up)
   tries again later, through step 2.

The senders hold a lease on the message while they send, longer than two of Twilio's
answers (DENDRITE_SMS_TIMEOUT), so no second worker asks while a request is out; and
they call `send` outside any transaction, so the row of step 1 is committed before the
request leaves (its block is durable: inside a transaction, `send` refuses). Nothing
here is logged: not the number, not the text, not the credentials (the SDK's own
request log is silenced).
"""

import datetime as dt
import re
import unicodedata
from typing import Any

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from dendrite.queue import SendFailed, Undeliverable
from dendrite.sms import SAFE_KEY, BaseSmsBackend

from .models import SmsAttempt

# Twilio's clock and ours may differ by a little: a message created this long before a
# try began may still be that try's.
CLOCK_SKEW = dt.timedelta(minutes=2)
# How many of the newest messages to a number are looked through for a lost try's.
LOOKUP_LIMIT = 50

# Twilio's error codes that say this text can never reach this number, in staff's words
# (twilio.com/docs/api/errors). Any other refusal is undeliverable too, with its code.
REFUSALS = {
    21211: "The mobile number is not a valid phone number.",
    21214: "The mobile number cannot be reached.",
    21408: "Texts to this country are not enabled in the clinic's Twilio account.",
    21610: "The recipient has opted out of the clinic's texts (they replied STOP).",
    21612: "The mobile number cannot receive texts from the clinic's number.",
    21614: "The number is not a mobile number, so it cannot receive texts.",
}
# Twilio's answers with an HTTP status (its older and its RFC 9457 shape of error).
Answered = (TwilioRestException, TwilioServiceException)
# Refusals that a later try can mend: too many requests, or the credentials (the
# operator fixes them, and the texts go out then).
TRY_AGAIN = {401, 403, 429}


class QuietHttpClient(TwilioHttpClient):  # type: ignore[misc]
    """Twilio's HTTP client without its request log, which would write the number (a
    lookup's query) and the account to the log."""

    def log_request(self, kwargs: dict[str, Any]) -> None:
        pass

    def log_response(self, status_code: int, response: Any) -> None:
        pass


class TwilioBackend(BaseSmsBackend):
    def __init__(self, http_client: Any = None) -> None:
        """`http_client` is for tests (a fake of Twilio's API on this machine)."""
        account = settings.TWILIO_ACCOUNT_SID
        self.client = Client(
            username=settings.TWILIO_API_KEY or account,
            password=settings.TWILIO_API_SECRET,
            account_sid=account,
            http_client=http_client or QuietHttpClient(timeout=settings.SMS_TIMEOUT_SECONDS),
            environment={},  # only our settings, never TWILIO_* from the environment
        )
        sender = settings.TWILIO_SENDER
        self.sender = (
            {"messaging_service_sid": sender} if sender.startswith("MG") else {"from_": sender}
        )

    def send(self, to: str, body: str, *, key: str) -> None:
        if not SAFE_KEY.match(key):
            raise ValueError("An SMS key may hold only letters, digits, '.', '_' and '-'.")
        # Committed before the request leaves (durable: refused inside a transaction).
        with transaction.atomic(durable=True):
            attempt, new = SmsAttempt.objects.get_or_create(
                key=key, defaults={"started_at": timezone.now()}
            )
        if attempt.provider_id:
            return  # accepted before: sent once
        if not new:
            found = self._lost_try(to, body, attempt.started_at)
            if found:
                self._accepted(attempt, found)
                return
        try:
            message = self.client.messages.create(to=to, body=body, **self.sender)
        except Answered as error:
            if error.status < 500:
                attempt.delete()  # refused: Twilio created nothing
            raise _failure(error) from None
        except (requests.RequestException, TwilioException):
            # No answer: Twilio may have accepted it. The row stays; the next try asks.
            raise SendFailed("The text-message provider did not answer in time.") from None
        self._accepted(attempt, message.sid)

    def _lost_try(self, to: str, body: str, since: dt.datetime) -> str:
        """The id of a message a try with an unknown outcome left at Twilio, or ""."""
        since -= CLOCK_SKEW
        taken = set(
            SmsAttempt.objects.filter(accepted_at__gte=since).values_list("provider_id", flat=True)
        )
        try:
            messages = self.client.messages.list(to=to, limit=LOOKUP_LIMIT, page_size=LOOKUP_LIMIT)
        except Answered as error:
            if error.status >= 500 or error.status in TRY_AGAIN:
                raise _failure(error) from None
            # Never given up here: the earlier try may have gone out, or may not.
            raise SendFailed(
                "The text-message provider would not say whether an earlier try went out "
                f"(Twilio error {error.code}); tried again."
            ) from None
        except (requests.RequestException, TwilioException):
            raise SendFailed("The text-message provider did not answer in time.") from None
        for message in messages:
            if (
                message.sid not in taken
                and _letters(message.body or "").endswith(_letters(body))
                and message.date_created is not None
                and message.date_created >= since
                and str(message.direction).startswith("outbound")
            ):
                return str(message.sid)
        return ""

    def _accepted(self, attempt: SmsAttempt, provider_id: str) -> None:
        SmsAttempt.objects.filter(pk=attempt.pk).update(
            provider_id=provider_id, accepted_at=timezone.now()
        )


def _letters(text: str) -> str:
    """The text's letters and digits, without accents: how a text is recognised in
    Twilio's copy, which may differ in punctuation (a Messaging Service's "smart
    encoding" swaps curly quotes and dashes for plain ones) or begin with a trial
    account's notice."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def _failure(error: TwilioRestException | TwilioServiceException) -> SendFailed:
    """Twilio's refusal as our error, in staff's words: its own message names the
    number, so it is never kept."""
    if error.status >= 500:
        return SendFailed("The text-message provider had an error; the text is tried again.")
    if error.status in TRY_AGAIN:
        reason = {429: "was busy", 401: "refused the credentials", 403: "refused the account"}
        return SendFailed(f"The text-message provider {reason[error.status]}; tried again.")
    code = error.code if isinstance(error.code, int) else error.status
    return Undeliverable(
        REFUSALS.get(code, f"The text-message provider refused the text (Twilio error {code}).")
    )
