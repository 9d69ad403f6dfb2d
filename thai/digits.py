"""Thai digits (๐–๙) as ASCII digits: typed Thai text mixes both (`ไป ๔ คน`, `หมู่ ๓`).

The one table of them; readers that normalise more than digits compose their own `str.maketrans`
from `ASCII_DIGIT_OF` (one character for one, so positions in the result stay positions in the text).
"""

from __future__ import annotations

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
ASCII_DIGIT_OF: dict[int, int] = {ord(thai): ord("0") + value for value, thai in enumerate(THAI_DIGITS)}


def ascii_digits(text: str) -> str:
    """The text with every Thai digit replaced by its ASCII digit, nothing else changed."""
    return text.translate(ASCII_DIGIT_OF)
