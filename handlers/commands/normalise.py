"""Normalising a message before it is matched: digits, spaces, and the polite tail it ends with."""

from __future__ import annotations

import unicodedata

from thai.digits import ASCII_DIGIT_OF


_THAI_LETTER = "\u0e01-\u0e4e"
# One character for one, so that positions in the result are positions in the original text.
_ONE_FOR_ONE = str.maketrans({
    **ASCII_DIGIT_OF,  # Thai digits
    **{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)},  # full-width ASCII (＃１２, ？)
    **{c: " " for c in (0x00A0, 0x1680, *range(0x2000, 0x200E), 0x202F, 0x205F, 0x2060, 0x3000,
                        0xFEFF, 0x0009, 0x000B, 0x000C)},
    0x2018: "'", 0x2019: "'", 0x201C: '"', 0x201D: '"',
})  # fmt: skip
_SPACE_CHARS = " \t\r\n\u00a0\u200b\u200c\u200d\u2060\u3000\ufeff"

# Politeness and mood particles, removed from the end (glued or after a space), longest first.
_PARTICLES_TH = sorted(
    {
        "ครับผม", "นะครับ", "นะคะ", "นะค่ะ", "ครับ", "คร้าบ", "ครัช", "คับ", "ค่ะ", "คะ", "ค่า",
        "ค้า", "ค๊ะ", "คร่ะ", "จ้า", "จ้ะ", "จ๊ะ", "จ๊า", "จ๋า", "ฮะ", "ฮับ", "นะ", "น้า", "น๊า",
        "เด้อ", "เน้อ",
    },
    key=len,
    reverse=True,
)  # fmt: skip
# Only these are removed when glued to a name or a free text (`สมศรีค่ะ`); `นะ` is not (`มานะ`).
_POLITE_TH = ("ครับผม", "นะครับ", "นะคะ", "นะค่ะ", "ครับ", "คร้าบ", "คับ", "ค่ะ", "คะ")
_PARTICLES_EN = ("please", "pls", "krub", "krab", "kha", "ka", "thanks", "thank you")
_TAIL_PUNCT = set("!.,;:~…。、?·•-_*^'\"$")
_EMOTICONS = (":)", ":-)", ";)", ":d", ":p", "xd", ":(", "t_t", "-_-", "^^")


def _is_junk(ch: str) -> bool:
    return ch in _TAIL_PUNCT or ch in "\ufe0f\ufe0e\u20e3" or unicodedata.category(ch) in ("So", "Sk", "Cf")


def _strip_tail(s: str) -> tuple[str, bool]:
    """Remove trailing particles, emoji, punctuation and laughter; also say whether a `?` went."""
    asked = False
    end = len(s)  # work on s[:end]; slicing once at the end keeps long inputs linear
    while True:
        before = end
        while end and (s[end - 1].isspace() or _is_junk(s[end - 1])):
            asked = asked or s[end - 1] == "?"
            end -= 1
        tail = s[max(0, end - 12):end].lower()
        for emoticon in _EMOTICONS:
            if tail.endswith(emoticon) and (end == len(emoticon) or s[end - len(emoticon) - 1].isspace()):
                end -= len(emoticon)
                break
        # laughter: 555, 5555+ (not a number's tail, not a meeting code)
        j = end
        while j and s[j - 1] == "+":
            j -= 1
        k = j
        while k and s[k - 1] == "5":
            k -= 1
        if j - k >= 3 and (k == 0 or not (s[k - 1].isdigit() or s[k - 1] == "#")):
            end = k
        # stretched ending: ครับบบ, ค่าาา
        if end >= 2 and s[end - 1] == s[end - 2] and "\u0e01" <= s[end - 1] <= "\u0e4e":
            while end >= 2 and s[end - 2] == s[end - 1]:
                end -= 1
        tail = s[max(0, end - 12):end]
        for p in _PARTICLES_TH:
            if tail.endswith(p):
                end -= len(p)
                break
        else:
            tail = tail.lower()
            for p in _PARTICLES_EN:
                if tail.endswith(p) and (end == len(p) or s[end - len(p) - 1].isspace()):
                    end -= len(p)
                    break
        while end and s[end - 1].isspace():
            end -= 1
        if end == before:
            return s[:end], asked


def _squash(s: str) -> str:
    """Collapse spaces within lines, drop empty lines."""
    lines = (" ".join(line.split()) for line in s.splitlines())
    return "\n".join(line for line in lines if line)


def normalise(text: str) -> str:
    """The text as commands are matched: digits, spaces, `เเ` fixed; the polite tail removed."""
    return _clean(text.translate(_ONE_FOR_ONE))[0]


def _clean(light: str) -> tuple[str, bool]:
    s = _squash(light.replace("เเ", "แ").replace("\u0e4d\u0e32", "\u0e33"))
    s, asked = _strip_tail(s)
    return s.strip(), asked


def _trim_free_text(original: str) -> str:
    """Free text as typed, minus outer whitespace and a trailing polite tail (spaced particles,
    glued ครับ/ค่ะ, emoji). Question marks and full stops stay."""
    s = original.strip(_SPACE_CHARS)
    while True:
        before = s
        i = len(s)
        while i and (s[i - 1] in _SPACE_CHARS or s[i - 1] in "\ufe0f\ufe0e\u20e3$"
                     or unicodedata.category(s[i - 1]) in ("So", "Sk", "Cf")):
            i -= 1
        s = s[:i]
        for p in _PARTICLES_TH:
            if s.endswith(p) and (p in _POLITE_TH or len(s) == len(p) or s[-len(p) - 1] in _SPACE_CHARS):
                s = s[: -len(p)]
                break
        if s == before:
            return s.strip(_SPACE_CHARS)
