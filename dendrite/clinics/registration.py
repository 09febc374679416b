"""DEA registration numbers: the format and the check digit. Pure: no Django.

A DEA number is two letters and seven digits. The first letter is the registrant type
(A, B, F or G for practitioners, M for mid-level practitioners, others for
distributors, pharmacies and so on); the second is the first letter of the
registrant's last name, or 9 for a business. The seventh digit checks the other six:
add the 1st, 3rd and 5th digits, add twice the sum of the 2nd, 4th and 6th, and the
last digit of the total is the check digit (DEA Diversion Control Division, "Registrant
validation", as documented by DEA and its registrant-facing guidance).
"""

import re

FORMAT = re.compile(r"^[A-Z][A-Z9]\d{7}$")


def check_digit(six_digits: str) -> int:
    """The check digit of the first six digits of a DEA number."""
    d = [int(c) for c in six_digits]
    return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10


def normalise(number: str) -> str:
    """As typed, without spaces, in capitals: " ab 1234563" → "AB1234563"."""
    return "".join(number.split()).upper()


def dea_number_ok(number: str) -> bool:
    """True for a well-formed DEA number whose check digit is right (already normalised)."""
    if not FORMAT.match(number):
        return False
    return check_digit(number[2:8]) == int(number[8])
