"""Buttons that name groups, for "which group?" questions (inviting and linking).

Full names are long and alike (`กองทุนหมู่บ้าน หมู่ 3 ต.บางจาก` …): cut to LINE's 20 characters they
all read `กองทุนหมู่บ้าน หมู่ …`. A label therefore puts what tells groups apart first: the
village number, then the sub-district, then the kind (`ม.3 บางจาก กองทุน`), shortening the kind
and then the sub-district's name only when the label would not fit. The full name goes in the
tap's display text.
"""

from __future__ import annotations

from handlers import replies
from handlers.texts import t
from models.line_limits import MAX_QUICK_REPLY_LABEL, utf16_len
from models.network import FinancialGroup, GroupKind


def _kind_word(lang: str, kind: str, short: bool) -> str:
    if kind == GroupKind.VILLAGE_FUND:
        return t(lang, "label_fund_short" if short else "label_fund")
    if kind == GroupKind.SAVINGS_GROUP:
        return t(lang, "label_savings_short" if short else "label_savings")
    return ""


def _sub_name(lang: str, group: FinancialGroup) -> str:
    sub = group.sub_district
    if sub is None:
        return ""
    return (sub.name_en or sub.name) if lang == "en" else sub.name


def _fits(text: str) -> bool:
    return utf16_len(text) <= MAX_QUICK_REPLY_LABEL


def group_label(group: FinancialGroup, lang: str, *, with_sub_district: bool = True, with_kind: bool = True) -> str:
    """`ม.3 บางจาก กองทุน`; a group without a village (or of another kind) by its name."""
    if group.village is None or group.kind == GroupKind.OTHER:
        return replies.label(group.name)
    village = t(lang, "label_village", n=group.village.number)
    sub = _sub_name(lang, group) if with_sub_district else ""
    for short in (False, True):
        kind = _kind_word(lang, group.kind, short) if with_kind else ""
        text = " ".join(p for p in (village, sub, kind) if p)
        if _fits(text):
            return text
    # Still too long: keep the village and the kind whole and cut the sub-district's name.
    room = MAX_QUICK_REPLY_LABEL - utf16_len(" ".join(p for p in (village, kind) if p)) - 1
    return " ".join(p for p in (village, replies.label(sub, room) if room > 1 else "", kind) if p)


def distinct_labels(groups: list[FinancialGroup], lang: str, **parts) -> list[str]:
    """A label per group, all different (numbered as a last resort) and within LINE's limit."""
    labels = [group_label(g, lang, **parts) for g in groups]
    if len(set(labels)) < len(labels):  # cut names that read alike: show their ends too
        labels = [_head_and_tail(g.name) if labels.count(label) > 1 else label for g, label in zip(groups, labels)]
    if len(set(labels)) < len(labels):
        labels = [replies.label(f"{i}. {label}") for i, label in enumerate(labels, 1)]
    return labels


def _head_and_tail(name: str) -> str:
    if _fits(name):
        return name
    return replies.label(name, 9).rstrip("…") + "…" + name[-10:]


def group_items(groups: list[FinancialGroup], lang: str, make_data, make_display, limit: int = 12, **parts) -> list[dict]:
    """Quick-reply items, one per group (at most `limit`), each tap carrying `make_data(group)`."""
    shown = groups[:limit]
    return [replies.postback_item(label, make_data(g), display=make_display(g))
            for g, label in zip(shown, distinct_labels(shown, lang, **parts))]
