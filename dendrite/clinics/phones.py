"""Telephone numbers: kept as E.164 (+16175550142), read as US numbers unless they start with +."""

import phonenumbers


def to_e164(value: str) -> str | None:
    """The number in E.164, or None when it is not a valid telephone number."""
    try:
        number = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def for_display(e164: str) -> str:
    """(617) 555-0142 for a US number, +44 20 7946 0958 for any other."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "US")
    except phonenumbers.NumberParseException:
        return e164
    return _shown(number)


def link_and_display(value: str) -> tuple[str, str]:
    """The number for a `tel:` link (E.164 when valid, else as stored) and for_display's
    words, from one parse: a list shows both on every row, and parsing is the cost."""
    try:
        number = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        return value, value
    shown = _shown(number)
    if not phonenumbers.is_valid_number(number):
        return value, shown
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), shown


def _shown(number: phonenumbers.PhoneNumber) -> str:
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 1
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)
