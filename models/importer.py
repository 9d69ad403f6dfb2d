"""Load a real network from a file: sub-districts, villages, groups and their leaders.

`import_network(session, path)` reads CSV, Excel (.xlsx) or YAML (by the file's extension) and
brings the database in line with it, in the caller's transaction. Nothing is written unless the
whole file is valid: every problem is collected with its row (CSV, Excel) or line (YAML) number
and returned in the report, so a coordinator fixes the file once instead of once per error.

Importing is idempotent: sub-districts are matched by name (with or without "ต."/"ตำบล"; the
English name works too), villages by (sub-district, number), groups by name (spaces, "ม." for
"หมู่" and "ต." for "ตำบล" aside; the group keeps the name it has), leaders by LINE user id,
else by full name (two rows naming the same person where one has a phone the other lacks, or the
same phone, are one person; a different phone makes a different person). Re-importing updates
what changed (a group's kind or village, a village's name, a leader's phone, a LINE id added to a
leader imported without one) and removes nothing: a leader missing from a later file keeps the
role until `meetbot role revoke`.

## CSV and Excel

One row per group; a group with several leaders takes several rows (repeat the group's columns).
The first row names the columns (any order; a column may be left out when every row would leave
it empty):

| column | meaning |
|---|---|
| `sub_district` | ตำบล, e.g. `ท่าไร่` (`ต.ท่าไร่` works too); empty for a network-wide group such as `ทีมคุณอำนวย` |
| `village_number` | หมู่ที่: `3`, `หมู่ 3`, `ม.3`, `๓`; empty for a sub-district-wide group (`ผู้นำชุมชน ต.ท่าไร่`) |
| `village_name` | the village's name (optional) |
| `group_name` | the group's name, unique in the network (required) |
| `group_kind` | `กองทุนหมู่บ้าน`, `กลุ่มออมทรัพย์`, `อื่น ๆ` or `village_fund`, `savings_group`, `other`; empty: read from the name |
| `leader_name` | the leader's real name (ชื่อจริง), as the sign-in sheet and the minutes print it; also read from a column `leader_real_name`, `real_name`, `full_name`, `ชื่อจริง`, `ชื่อ-นามสกุล` (a person sets or corrects their own in chat with `ชื่อจริง …`) |
| `leader_line_user_id` | the LINE user id (`U` + 32 hex digits), not the LINE ID people choose; empty: link later |
| `leader_phone` | phone number (a leading 0 Excel dropped is put back) |

Also accepted: `sub_district_en` (the English name), Thai column names (`ตำบล`, `หมู่ที่`,
`ชื่อหมู่บ้าน`, `ชื่อกลุ่ม`, `ประเภทกลุ่ม`, `ชื่อผู้นำ`, `เบอร์โทร`), commas, semicolons or tabs
between columns, and UTF-8 with or without the byte-order mark Excel writes ("CSV UTF-8");
a file in Windows' Thai encoding (Windows-874, Excel's plain "CSV" on Thai Windows) is read too,
with a warning. Excel files: the first sheet. Unknown columns are ignored with a warning.

## YAML

```yaml
sub_districts:
  - name: ท่าไร่
    name_en: Tha Rai                 # optional, as are district and province
    groups:                          # groups of the whole sub-district (optional)
      - name: ผู้นำชุมชน ต.ท่าไร่
        kind: other
    villages:
      - number: 1
        name: บ้าน…                   # optional
        groups:
          - name: กองทุนหมู่บ้าน หมู่ 1 ต.ท่าไร่
            kind: village_fund       # or กองทุนหมู่บ้าน; optional: read from the name
            leaders:
              - {name: สมชาย ใจดี, line_user_id: U…, phone: "081…"}   # or real_name: สมชาย ใจดี
              - สมศรี ใจงาม           # a name alone is fine
groups:                              # network-wide groups (optional)
  - name: ทีมคุณอำนวย
    kind: other
```

Unknown keys are errors in YAML (a misspelt `leader:` would otherwise drop the leaders silently).
See `examples/network.yaml` and `examples/network.csv`.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.network import FinancialGroup, GroupKind, SubDistrict, Village, find_sub_district, normalise_name
from models.people import Person, Role, grant, person_by_line_id
from thai.digits import ascii_digits
from models.safe_text import strip_bidi

LINE_USER_ID = re.compile(r"U[0-9a-f]{32}")
_SPACES = re.compile(r"\s+")

KINDS: dict[str, str] = {}
for _kind, _words in {
    GroupKind.VILLAGE_FUND: ("village_fund", "village fund", "fund", "vf", "กองทุนหมู่บ้าน", "กองทุนฯ", "กองทุน",
                             "กองทุนหมู่บ้านและชุมชนเมือง"),
    GroupKind.SAVINGS_GROUP: ("savings_group", "savings group", "saving group", "savings", "sg", "กลุ่มออมทรัพย์",
                              "ออมทรัพย์", "กลุ่มสัจจะออมทรัพย์", "กลุ่มสัจจะสะสมทรัพย์", "สัจจะออมทรัพย์"),
    GroupKind.OTHER: ("other", "อื่น ๆ", "อื่น", "กลุ่มอื่น", "กลุ่มอื่น ๆ"),
}.items():
    for _word in _words:
        KINDS[re.sub(r"[\s_\-.]+", "", _word.lower())] = _kind

COLUMNS = ("sub_district", "sub_district_en", "village_number", "village_name", "group_name", "group_kind",
           "leader_name", "leader_line_user_id", "leader_phone")
_ALIASES = {
    "sub_district": ("subdistrict", "tambon", "ตำบล"),
    "sub_district_en": ("subdistrict_en", "tambon_en"),
    "village_number": ("village", "village_no", "moo", "หมู่", "หมู่ที่"),
    "village_name": ("ชื่อหมู่บ้าน", "หมู่บ้าน"),
    "group_name": ("group", "name", "ชื่อกลุ่ม", "กลุ่ม"),
    "group_kind": ("kind", "type", "group_type", "ประเภท", "ประเภทกลุ่ม"),
    "leader_name": ("leader", "ชื่อผู้นำ", "ผู้นำ", "ชื่อผู้นำกลุ่ม", "ชื่อ-สกุล", "ชื่อสกุล", "leader_real_name",
                    "leader_full_name", "real_name", "full_name", "ชื่อจริง", "ชื่อจริง-นามสกุล", "ชื่อจริง_นามสกุล",
                    "ชื่อ-นามสกุล", "ชื่อ_นามสกุล", "ชื่อนามสกุล", "ชื่อจริงผู้นำ", "ชื่อจริงผู้นำกลุ่ม"),
    "leader_line_user_id": ("line_user_id", "user_id", "line_id", "lineid", "line"),
    "leader_phone": ("phone", "tel", "โทรศัพท์", "เบอร์โทร", "เบอร์โทรศัพท์", "โทร"),
}
_HEADER = {key: key for key in COLUMNS} | {alias: key for key, aliases in _ALIASES.items() for alias in aliases}


# -- the report --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    line: int | None  # the row (CSV, Excel: the header is row 1) or line (YAML) number
    message: str
    unit: str = "row"

    def __str__(self) -> str:
        return f"{self.unit} {self.line}: {self.message}" if self.line is not None else self.message


@dataclass
class ImportReport:
    path: str
    format: str
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    KINDS = ("sub_districts", "villages", "groups", "people", "roles")

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, kind: str, outcome: str) -> None:
        {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}[outcome][kind] += 1


# -- what a file says, read into one shape -------------------------------------------------------


@dataclass
class LeaderEntry:
    line: int
    name: str | None
    line_user_id: str | None
    phone: str | None


@dataclass
class GroupEntry:
    line: int
    name: str
    kind: str
    sub_district: str | None
    sub_district_en: str | None = None
    district: str | None = None
    province: str | None = None
    village_number: int | None = None
    village_name: str | None = None
    leaders: list[LeaderEntry] = field(default_factory=list)


def _clean(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _SPACES.sub(" ", str(value).replace("\u200b", "").replace("\ufeff", "")).strip()
    return text or None


def _sub_district_name(text: str | None) -> str | None:
    if not text:
        return None
    text = re.sub(r"^(ตำบล|ต\s*\.)\s*", "", text.strip())
    return text.strip() or None


def _village_number(text: str | None, problems: list[str]) -> int | None:
    if not text:
        return None
    digits = re.fullmatch(r"(?:หมู่(?:ที่)?|ม\s*\.|moo|village)?\s*(\d{1,3})", ascii_digits(text).strip().lower())
    if not digits or not 1 <= int(digits.group(1)) <= 999:
        problems.append(f"village number {text!r} is not a number such as 3 or หมู่ 3")
        return None
    return int(digits.group(1))


def _kind(text: str | None, name: str, problems: list[str]) -> str:
    if not text:
        if "กองทุนหมู่บ้าน" in name or "กองทุนฯ" in name:
            return GroupKind.VILLAGE_FUND
        if "ออมทรัพย์" in name or "สะสมทรัพย์" in name:
            return GroupKind.SAVINGS_GROUP
        return GroupKind.OTHER
    kind = KINDS.get(re.sub(r"[\s_\-.]+", "", text.lower()))
    if kind is None:
        problems.append(f"group kind {text!r} is not one of กองทุนหมู่บ้าน, กลุ่มออมทรัพย์, อื่น ๆ "
                        f"(village_fund, savings_group, other)")
        return GroupKind.OTHER
    return kind


def _phone(text: str | None, problems: list[str]) -> str | None:
    if not text:
        return None
    text = ascii_digits(text)
    if not re.fullmatch(r"\+?[\d\s\-().]{6,40}", text) or len(text) > 40:
        problems.append(f"phone {text!r} is not a phone number")
        return None
    if re.fullmatch(r"[1-9]\d{7,8}", text):  # Excel dropped the leading 0 of 081…
        text = "0" + text
    return text


def _leader(line: int, name: str | None, line_user_id: str | None, phone: str | None,
            problems: list[str]) -> LeaderEntry | None:
    if line_user_id and not LINE_USER_ID.fullmatch(line_user_id):
        problems.append(f"{line_user_id!r} is not a LINE user id (U followed by 32 hex digits, as the bot "
                        f"shows it); the LINE ID people choose cannot be used: leave it empty and link later")
        line_user_id = None
    phone = _phone(phone, problems)
    name = strip_bidi(name) or None  # a right-to-left override would turn the papers around
    if not (name or line_user_id or phone):
        return None
    if not name and not line_user_id:
        problems.append("a leader needs a name or a LINE user id")
        return None
    if name and len(name) > 200:
        problems.append("the leader's name is longer than 200 characters")
    return LeaderEntry(line, name, line_user_id, phone)


def _entry(line: int, fields: dict[str, str | None], problems: list[str]) -> GroupEntry | None:
    """One CSV row (or YAML group) as a group entry, problems appended in plain words."""
    name = fields.get("group_name")
    sub_district = _sub_district_name(fields.get("sub_district"))
    number = _village_number(fields.get("village_number"), problems)
    if not name:
        problems.append("group_name is empty")
        return None
    if len(name) > 200:
        problems.append("the group name is longer than 200 characters")
    if number is not None and not sub_district:
        problems.append("a village number needs a sub_district")
    if fields.get("village_name") and fields.get("village_number") is None:
        problems.append("a village name needs a village number")
    kind = _kind(fields.get("group_kind"), name, problems)
    entry = GroupEntry(line=line, name=name, kind=kind, sub_district=sub_district,
                       sub_district_en=fields.get("sub_district_en"), district=fields.get("district"),
                       province=fields.get("province"), village_number=number,
                       village_name=fields.get("village_name"))
    leader = _leader(line, fields.get("leader_name"), fields.get("leader_line_user_id"),
                     fields.get("leader_phone"), problems)
    if leader:
        entry.leaders.append(leader)
    return entry


def _decode(raw: bytes, report: ImportReport) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp874")
    except UnicodeDecodeError:
        report.errors.append(Problem(None, "the file is not UTF-8 text: in Excel save it as 'CSV UTF-8'"))
        return ""
    report.warnings.append(Problem(None, "the file is not UTF-8; read it as Windows-874 (Thai). "
                                         "Check the Thai names, or save it from Excel as 'CSV UTF-8'"))
    return text


def _table_rows(path: Path, report: ImportReport) -> list[tuple[int, list]]:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            report.errors.append(Problem(None, f"cannot read the Excel file: {exc}"))
            return []
        try:
            sheet = book.worksheets[0]
            return [(number, list(values)) for number, values in enumerate(sheet.iter_rows(values_only=True), 1)]
        finally:
            book.close()
    text = _decode(path.read_bytes(), report)
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return list(enumerate(reader, 1))  # rows as a spreadsheet numbers them, even with line breaks in a cell


def _read_table(path: Path, report: ImportReport) -> list[GroupEntry]:
    rows = _table_rows(path, report)
    rows = [(n, [_clean(v) for v in values]) for n, values in rows]
    rows = [(n, values) for n, values in rows if any(values)]
    if not rows:
        if not report.errors:
            report.errors.append(Problem(None, "the file has no rows"))
        return []
    header_line, header = rows[0]
    columns: list[str | None] = []
    for cell in header:
        key = _HEADER.get(re.sub(r"\s+", "_", (cell or "").lower()))
        if key is None and cell:
            report.warnings.append(Problem(header_line, f"column {cell!r} is not one meetbot reads; ignored"))
        if key is not None and key in columns:
            report.errors.append(Problem(header_line, f"column {cell!r} appears twice"))
        columns.append(key)
    if "group_name" not in columns:
        report.errors.append(Problem(header_line, "no group_name column; the first row must name the columns: "
                                                  + ", ".join(COLUMNS)))
        return []
    entries = []
    for line, values in rows[1:]:
        fields = {key: value for key, value in zip(columns, values) if key}
        problems: list[str] = []
        entry = _entry(line, fields, problems)
        report.errors.extend(Problem(line, p) for p in problems)
        if entry and not problems:
            entries.append(entry)
    return entries


# YAML: mappings remember their line; phones and LINE ids are read as the text written.


class _LineLoader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        for key_node, value_node in node.value:
            if isinstance(value_node, yaml.ScalarNode) and key_node.value in ("phone", "line_user_id"):
                mapping[key_node.value] = value_node.value  # 0812345678 stays text, not a number
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


_YAML_KEYS = {
    "top": {"sub_districts", "groups"},
    "sub_district": {"name", "name_en", "district", "province", "villages", "groups"},
    "village": {"number", "name", "groups"},
    "group": {"name", "kind", "leaders"},
    "leader": {"name", "real_name", "line_user_id", "phone"},
}


def _read_yaml(path: Path, report: ImportReport) -> list[GroupEntry]:
    def problem(line: int | None, message: str) -> None:
        report.errors.append(Problem(line, message, "line"))

    try:
        data = yaml.load(_decode(path.read_bytes(), report), Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem(mark.line + 1 if mark else None, f"not valid YAML: {getattr(exc, 'problem', None) or exc}")
        return []

    def mapping(value, what: str, line: int | None, keys: str) -> dict | None:
        if not isinstance(value, dict):
            problem(line, f"{what} must be a mapping (key: value), not {value!r}")
            return None
        for key in value:
            if key != "__line__" and key not in _YAML_KEYS[keys]:
                problem(value["__line__"], f"unknown key {key!r} in {what} (expected: "
                                           f"{', '.join(sorted(_YAML_KEYS[keys]))})")
        return value

    def listing(parent: dict, key: str) -> list:
        value = parent.get(key) or []
        if not isinstance(value, list):
            problem(parent["__line__"], f"{key} must be a list (items starting with '- ')")
            return []
        return value

    entries: list[GroupEntry] = []

    def groups(parent: dict, where: dict) -> None:
        for item in listing(parent, "groups"):
            group = mapping(item, "a group", parent["__line__"], "group")
            if group is None:
                continue
            line = group["__line__"]
            problems: list[str] = []
            fields = dict(where, group_name=_clean(group.get("name")), group_kind=_clean(group.get("kind")))
            entry = _entry(line, fields, problems)
            problems_in_leaders: list[str] = []
            for raw in listing(group, "leaders"):
                if isinstance(raw, str):
                    raw = {"name": raw, "__line__": line}
                leader = mapping(raw, "a leader", line, "leader")
                if leader is None:
                    continue
                mistakes: list[str] = []
                found = _leader(leader["__line__"], _clean(leader.get("real_name") or leader.get("name")),
                                _clean(leader.get("line_user_id")),
                                _clean(leader.get("phone")), mistakes)
                report.errors.extend(Problem(leader["__line__"], p, "line") for p in mistakes)
                if found and entry and not mistakes:
                    entry.leaders.append(found)
                problems_in_leaders.extend(mistakes)
            report.errors.extend(Problem(line, p, "line") for p in problems)
            if entry and not problems and not problems_in_leaders:
                entries.append(entry)

    if data is None:
        problem(None, "the file is empty")
        return []
    top = mapping(data, "the file", 1, "top")
    if top is None:
        return []
    for item in listing(top, "sub_districts"):
        sub = mapping(item, "a sub-district", top["__line__"], "sub_district")
        if sub is None:
            continue
        name = _sub_district_name(_clean(sub.get("name")))
        if not name:
            problem(sub["__line__"], "a sub-district needs a name")
            continue
        where = {"sub_district": name, "sub_district_en": _clean(sub.get("name_en")),
                 "district": _clean(sub.get("district")), "province": _clean(sub.get("province"))}
        groups(sub, where)
        for raw_village in listing(sub, "villages"):
            village = mapping(raw_village, "a village", sub["__line__"], "village")
            if village is None:
                continue
            number = _clean(village.get("number"))
            if number is None:
                problem(village["__line__"], "a village needs a number (หมู่ที่)")
                continue
            groups(village, dict(where, village_number=number, village_name=_clean(village.get("name"))))
    groups(top, {})
    return entries


# -- consistency across rows ---------------------------------------------------------------------


def _check(entries: list[GroupEntry], report: ImportReport, unit: str) -> list[GroupEntry]:
    """Merge rows of the same group; a group, village or person said two ways is an error."""
    merged: dict[str, GroupEntry] = {}
    villages: dict[tuple[str, int], tuple[str | None, int]] = {}
    sub_names: dict[str, tuple[str | None, int]] = {}
    people: dict[str, tuple[str | None, int]] = {}
    for entry in entries:
        key = normalise_name(entry.name)
        place = (entry.sub_district, entry.village_number)
        if key in merged:
            first = merged[key]
            if (first.sub_district, first.village_number) != place:
                report.errors.append(Problem(entry.line, f"{entry.name!r} is in {_where(*place)} here but in "
                                                         f"{_where(first.sub_district, first.village_number)} on "
                                                         f"{unit} {first.line}", unit))
                continue
            if first.kind != entry.kind:
                report.errors.append(Problem(entry.line, f"{entry.name!r} is a {GroupKind.ENGLISH[entry.kind]} here "
                                                         f"but a {GroupKind.ENGLISH[first.kind]} on {unit} "
                                                         f"{first.line}", unit))
                continue
            first.leaders += entry.leaders
        else:
            merged[key] = entry
        if entry.village_number is not None and entry.sub_district:
            vkey = (normalise_name(entry.sub_district), entry.village_number)
            if vkey in villages and entry.village_name and villages[vkey][0] and \
                    villages[vkey][0] != entry.village_name:
                report.errors.append(Problem(entry.line, f"{_where(*place)} is named {entry.village_name!r} here but "
                                                         f"{villages[vkey][0]!r} on {unit} {villages[vkey][1]}", unit))
            elif vkey not in villages or (entry.village_name and not villages[vkey][0]):
                villages[vkey] = (entry.village_name, entry.line)
        if entry.sub_district and entry.sub_district_en:
            skey = normalise_name(entry.sub_district)
            if skey in sub_names and sub_names[skey][0] != entry.sub_district_en:
                report.errors.append(Problem(entry.line, f"ต.{entry.sub_district} is called "
                                                         f"{entry.sub_district_en!r} here but "
                                                         f"{sub_names[skey][0]!r} on {unit} {sub_names[skey][1]}",
                                             unit))
            sub_names.setdefault(skey, (entry.sub_district_en, entry.line))
        for leader in entry.leaders:
            if leader.line_user_id:
                if leader.line_user_id in people and leader.name and people[leader.line_user_id][0] and \
                        people[leader.line_user_id][0] != leader.name:
                    report.errors.append(Problem(leader.line, f"LINE user {leader.line_user_id} is "
                                                              f"{leader.name!r} here but "
                                                              f"{people[leader.line_user_id][0]!r} on {unit} "
                                                              f"{people[leader.line_user_id][1]}", unit))
                elif leader.line_user_id not in people or not people[leader.line_user_id][0]:
                    people[leader.line_user_id] = (leader.name, leader.line)
    return list(merged.values())


def _where(sub_district: str | None, number: int | None) -> str:
    if not sub_district:
        return "no sub-district"
    return f"หมู่ {number} ต.{sub_district}" if number is not None else f"ต.{sub_district}"


# -- writing -------------------------------------------------------------------------------------


_RANK = {"unchanged": 0, "updated": 1, "created": 2}


def _digits(phone: str | None) -> str:
    return re.sub(r"\D", "", phone or "")


def _same_phone(a: str | None, b: str | None) -> bool:
    return not a or not b or _digits(a) == _digits(b)


def _person(session: Session, leader: LeaderEntry, group: FinancialGroup) -> tuple[Person, str]:
    def prefer(candidates: list[Person]) -> Person | None:
        candidates = [p for p in candidates if _same_phone(p.phone, leader.phone)]
        leading = [p for p in candidates if group.id in p.led_group_ids()]
        return (leading or candidates or [None])[0]

    by_name = (list(session.scalars(select(Person).where(Person.full_name == leader.name).order_by(Person.id)))
               if leader.name else [])
    person = None
    if leader.line_user_id:
        person = person_by_line_id(session, leader.line_user_id)
        if person is None:  # imported earlier without LINE: the same name, still unlinked
            person = prefer([p for p in by_name if p.line_user_id is None])
    else:
        person = prefer(by_name)
    if person is None:
        person = Person(full_name=leader.name, line_user_id=leader.line_user_id, phone=leader.phone)
        session.add(person)
        session.flush()
        return person, "created"
    changed = False
    for attribute, value in (("line_user_id", leader.line_user_id), ("full_name", leader.name)):
        if value and getattr(person, attribute) != value:
            setattr(person, attribute, value)
            changed = True
    if leader.phone and _digits(person.phone) != _digits(leader.phone):  # 081-234-5678 is 0812345678
        person.phone = leader.phone
        changed = True
    return person, "updated" if changed else "unchanged"


def _write(session: Session, entries: list[GroupEntry], report: ImportReport) -> None:
    subs: dict[str, SubDistrict] = {}
    for entry in entries:
        if not entry.sub_district:
            continue
        key = normalise_name(entry.sub_district)
        sub = subs.get(key)
        if sub is None:
            sub = session.scalar(select(SubDistrict).where(SubDistrict.name == entry.sub_district)) or \
                find_sub_district(session, entry.sub_district)
            if sub is None:
                sub = SubDistrict(name=entry.sub_district, name_en=entry.sub_district_en, district=entry.district,
                                  province=entry.province)
                session.add(sub)
                session.flush()
                report.count("sub_districts", "created")
            else:
                changed = False
                for attribute in ("name_en", "district", "province"):
                    value = getattr(entry, "sub_district_en" if attribute == "name_en" else attribute)
                    if value and getattr(sub, attribute) != value:
                        setattr(sub, attribute, value)
                        changed = True
                report.count("sub_districts", "updated" if changed else "unchanged")
            subs[key] = sub
        elif entry.sub_district_en and not sub.name_en:
            sub.name_en = entry.sub_district_en

    villages: dict[tuple[int, int], Village] = {}
    for entry in entries:
        if entry.village_number is None or not entry.sub_district:
            continue
        sub = subs[normalise_name(entry.sub_district)]
        village = villages.get((sub.id, entry.village_number))
        if village is None:
            village = session.scalar(select(Village).where(Village.sub_district_id == sub.id,
                                                           Village.number == entry.village_number))
            if village is None:
                village = Village(sub_district_id=sub.id, number=entry.village_number, name=entry.village_name)
                session.add(village)
                session.flush()
                report.count("villages", "created")
            elif entry.village_name and village.name != entry.village_name:
                village.name = entry.village_name
                report.count("villages", "updated")
            else:
                report.count("villages", "unchanged")
            villages[sub.id, entry.village_number] = village
        elif entry.village_name and not village.name:
            village.name = entry.village_name

    # Groups by their name as people type it: "หมู่ 1" and "ม.1", "ต." and "ตำบล", spaces or none.
    existing = {normalise_name(g.name): g for g in session.scalars(select(FinancialGroup).order_by(FinancialGroup.id))}
    people: dict[int, str] = {}
    for entry in entries:
        sub = subs[normalise_name(entry.sub_district)] if entry.sub_district else None
        village = villages[sub.id, entry.village_number] if sub and entry.village_number is not None else None
        wanted = {"kind": entry.kind, "sub_district_id": sub.id if sub else None,
                  "village_id": village.id if village else None}
        group = existing.get(normalise_name(entry.name))
        if group is None:
            group = FinancialGroup(name=entry.name, **wanted)
            session.add(group)
            session.flush()
            existing[normalise_name(group.name)] = group
            report.count("groups", "created")
        elif any(getattr(group, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(group, k, v)
            report.count("groups", "updated")
        else:
            report.count("groups", "unchanged")
        for leader in entry.leaders:
            person, outcome = _person(session, leader, group)
            if person.id not in people or _RANK[outcome] > _RANK[people[person.id]]:
                people[person.id] = outcome  # a person in several rows counts once
            held = group.id in person.led_group_ids()
            if not held:
                grant(session, person, Role.LEADER, group_id=group.id, by="import")
            report.count("roles", "unchanged" if held else "created")
    for outcome in people.values():
        report.count("people", outcome)
    session.flush()


def import_network(session: Session, path: str | Path) -> ImportReport:
    """Read `path` (.csv, .xlsx, .yaml/.yml) and apply it; with errors, nothing is written."""
    path = Path(path)
    suffix = path.suffix.lower()
    kind = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".yaml": "yaml", ".yml": "yaml"}.get(suffix)
    report = ImportReport(path=str(path), format=kind or suffix)
    if kind is None:
        report.errors.append(Problem(None, f"{path.name}: meetbot reads .csv, .xlsx, .yaml or .yml files"))
        return report
    if not path.is_file():
        report.errors.append(Problem(None, f"{path}: no such file"))
        return report
    entries = _read_yaml(path, report) if kind == "yaml" else _read_table(path, report)
    entries = _check(entries, report, "line" if kind == "yaml" else "row")
    if not report.errors and not entries:
        report.errors.append(Problem(None, "the file names no groups"))
    if report.errors:
        report.errors.sort(key=lambda p: (p.line is not None, p.line or 0))
        return report
    _write(session, entries, report)
    return report
