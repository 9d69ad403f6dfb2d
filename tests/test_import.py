"""`meetbot import`: a real network from CSV (as Excel writes it), Excel or YAML."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from models.importer import import_network
from models.network import FinancialGroup, GroupKind, SubDistrict, Village
from models.people import Person, PersonRole, Role
from tests.queries import row_counts

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
HEADER = "sub_district,village_number,village_name,group_name,group_kind,leader_name,leader_line_user_id,leader_phone\n"
BOM = "\ufeff"
SOMCHAI = "U0123456789abcdef0123456789abcd01"


def snapshot(db) -> set[tuple]:
    """The network as plain facts, to compare two imports."""
    with db.reading() as session:
        facts = {("sub", s.name, s.name_en) for s in session.scalars(select(SubDistrict))}
        facts |= {("village", v.sub_district.name, v.number, v.name) for v in session.scalars(select(Village))}
        for g in session.scalars(select(FinancialGroup)):
            facts.add(("group", g.name, g.kind, g.sub_district.name if g.sub_district else None,
                       g.village.number if g.village else None))
        for person, role, group in session.execute(
                select(Person, PersonRole.role, FinancialGroup.name).select_from(Person)
                .join(PersonRole, PersonRole.person_id == Person.id)
                .outerjoin(FinancialGroup, FinancialGroup.id == PersonRole.group_id)):
            facts.add(("role", person.full_name, person.line_user_id, person.phone, role, group))
        return facts


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def load(db, path):
    with db.transaction() as session:
        return import_network(session, path)


def test_the_yaml_example_imports_groups_villages_and_leaders(db):
    report = load(db, EXAMPLES / "network.yaml")
    assert report.ok, [str(e) for e in report.errors]
    assert dict(report.created) == {"sub_districts": 2, "villages": 3, "groups": 7, "people": 6, "roles": 6}
    with db.reading() as session:
        tha_rai = session.scalar(select(SubDistrict).where(SubDistrict.name == "ท่าไร่"))
        assert (tha_rai.name_en, tha_rai.district, tha_rai.province) == ("Tha Rai", "เมืองนครศรีธรรมราช", "นครศรีธรรมราช")
        fund = session.scalar(select(FinancialGroup).where(FinancialGroup.name == "กองทุนหมู่บ้าน หมู่ 1 ต.ท่าไร่"))
        assert (fund.kind, fund.village.number, fund.sub_district.name) == (GroupKind.VILLAGE_FUND, 1, "ท่าไร่")
        leaders = session.scalars(select(Person).join(PersonRole).where(
            PersonRole.role == Role.LEADER, PersonRole.group_id == fund.id).order_by(Person.full_name)).all()
        assert [(p.full_name, p.line_user_id, p.phone) for p in leaders] == [
            ("ปิติ ยินดี", None, None), ("สมศรี มีสุข", None, "0812345603")]  # phones stay text with their 0
        somchai = session.scalar(select(Person).where(Person.line_user_id == SOMCHAI))
        assert somchai.full_name == "สมชาย ใจดี" and somchai.phone == "0812345602"
        leaders_group = session.scalar(select(FinancialGroup).where(FinancialGroup.name == "ผู้นำชุมชน ต.ท่าไร่"))
        assert (leaders_group.kind, leaders_group.village_id) == (GroupKind.OTHER, None)
        team = session.scalar(select(FinancialGroup).where(FinancialGroup.name == "ทีมคุณอำนวย"))
        assert team.sub_district_id is None


def test_the_csv_example_has_a_bom_and_says_what_the_yaml_says(db):
    assert (EXAMPLES / "network.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # as Excel's "CSV UTF-8" writes it
    report = load(db, EXAMPLES / "network.csv")
    assert report.ok, [str(e) for e in report.errors]
    from_csv = snapshot(db)
    assert ("group", "กลุ่มออมทรัพย์ หมู่ 2 ต.ท่าไร่", GroupKind.SAVINGS_GROUP, "ท่าไร่", 2) in from_csv
    again = load(db, EXAMPLES / "network.yaml")  # the YAML adds only what CSV has no column for
    assert again.ok and not again.created
    assert {f for f in snapshot(db) ^ from_csv if f[0] != "sub"} == set()


@pytest.mark.parametrize("example", ["network.yaml", "network.csv"])
def test_importing_again_changes_nothing(db, example):
    first = load(db, EXAMPLES / example)
    counts, facts = row_counts(db), snapshot(db)
    second = load(db, EXAMPLES / example)
    assert second.ok and not second.created and not second.updated
    assert dict(second.unchanged) == dict(first.created)
    assert row_counts(db) == counts and snapshot(db) == facts


def test_thai_and_english_kinds_are_accepted_and_a_missing_kind_is_read_from_the_name(db, tmp_path):
    path = write(tmp_path, "kinds.csv", BOM + HEADER + "\n".join([
        "มะม่วงสองต้น,1,,กองทุนหมู่บ้าน หมู่ 1 ต.มะม่วงสองต้น,กองทุนหมู่บ้าน,,,",
        "มะม่วงสองต้น,1,,กลุ่มออมทรัพย์ หมู่ 1 ต.มะม่วงสองต้น,กลุ่มออมทรัพย์,,,",
        "มะม่วงสองต้น,,,ผู้นำชุมชน ต.มะม่วงสองต้น,อื่น ๆ,,,",
        "มะม่วงสองต้น,,,ผู้อาวุโส ต.มะม่วงสองต้น,อื่นๆ,,,",
        "ต.มะม่วงสองต้น,หมู่ 2,,กองทุนหมู่บ้าน หมู่ 2 ต.มะม่วงสองต้น,Village Fund,,,",
        "ตำบลมะม่วงสองต้น,ม.๓,,กลุ่มออมทรัพย์ หมู่ 3 ต.มะม่วงสองต้น,savings_group,,,",
        "มะม่วงสองต้น,4,,กองทุนหมู่บ้าน หมู่ 4 ต.มะม่วงสองต้น,,,,",
        "มะม่วงสองต้น,4,,กลุ่มออมทรัพย์ หมู่ 4 ต.มะม่วงสองต้น,,,,",
        ",,,ทีมคุณอำนวย,other,,,",
    ]) + "\n")
    report = load(db, path)
    assert report.ok, [str(e) for e in report.errors]
    with db.reading() as session:
        kinds = {g.name: (g.kind, g.village.number if g.village else None) for g in session.scalars(select(FinancialGroup))}
        assert session.scalar(select(func.count()).select_from(SubDistrict)) == 1  # ต. and ตำบล are the same place
    assert kinds == {
        "กองทุนหมู่บ้าน หมู่ 1 ต.มะม่วงสองต้น": (GroupKind.VILLAGE_FUND, 1),
        "กลุ่มออมทรัพย์ หมู่ 1 ต.มะม่วงสองต้น": (GroupKind.SAVINGS_GROUP, 1),
        "ผู้นำชุมชน ต.มะม่วงสองต้น": (GroupKind.OTHER, None),
        "ผู้อาวุโส ต.มะม่วงสองต้น": (GroupKind.OTHER, None),
        "กองทุนหมู่บ้าน หมู่ 2 ต.มะม่วงสองต้น": (GroupKind.VILLAGE_FUND, 2),
        "กลุ่มออมทรัพย์ หมู่ 3 ต.มะม่วงสองต้น": (GroupKind.SAVINGS_GROUP, 3),
        "กองทุนหมู่บ้าน หมู่ 4 ต.มะม่วงสองต้น": (GroupKind.VILLAGE_FUND, 4),
        "กลุ่มออมทรัพย์ หมู่ 4 ต.มะม่วงสองต้น": (GroupKind.SAVINGS_GROUP, 4),
        "ทีมคุณอำนวย": (GroupKind.OTHER, None),
    }


def test_bad_rows_are_all_reported_with_their_row_numbers_and_nothing_is_imported(db, tmp_path):
    path = write(tmp_path, "bad.csv", BOM + HEADER + "\n".join([
        "บางจาก,1,,กองทุนหมู่บ้าน หมู่ 1 ต.บางจาก,กองทุนหมู่บ้าน,สมชาย ใจดี,,0812345678",  # row 2: fine
        "บางจาก,2,,กองทุนหมู่บ้าน หมู่ 2 ต.บางจาก,สหกรณ์,,,",                              # row 3: kind
        "บางจาก,3,,กองทุนหมู่บ้าน หมู่ 3 ต.บางจาก,กองทุนหมู่บ้าน,สมศรี,@somsri,",           # row 4: LINE ID
        "บางจาก,4,,,กองทุนหมู่บ้าน,มานี,,",                                                  # row 5: no group
        "บางจาก,สี่,,กองทุนหมู่บ้าน หมู่ 4 ต.บางจาก,กองทุนหมู่บ้าน,,,",                      # row 6: number
        "บางจาก,5,,กองทุนหมู่บ้าน หมู่ 1 ต.บางจาก,กองทุนหมู่บ้าน,ปิติ,,",                     # row 7: other village
        "บางจาก,6,,กองทุนหมู่บ้าน หมู่ 6 ต.บางจาก,กองทุนหมู่บ้าน,ชูใจ,,โทรมาได้",             # row 8: phone
    ]) + "\n")
    before = row_counts(db)
    report = load(db, path)
    assert not report.ok
    by_row = {p.line: p.message for p in report.errors}
    assert sorted(by_row) == [3, 4, 5, 6, 7, 8]
    assert "'สหกรณ์'" in by_row[3] and "กองทุนหมู่บ้าน" in by_row[3]
    assert "'@somsri' is not a LINE user id" in by_row[4]
    assert "group_name is empty" in by_row[5]
    assert "'สี่'" in by_row[6]
    assert "หมู่ 5 ต.บางจาก here but in หมู่ 1 ต.บางจาก on row 2" in by_row[7]
    assert "'โทรมาได้' is not a phone number" in by_row[8]
    assert str(report.errors[0]).startswith("row 3: ")
    assert row_counts(db) == before  # all or nothing


def test_meetbot_import_prints_the_errors_and_exits_1(meetbot, db, tmp_path):
    path = write(tmp_path, "bad.csv", BOM + HEADER
                 + "ท่าไร่,1,,กองทุนหมู่บ้าน หมู่ 1 ต.ท่าไร่,กองทุนหมู่บ้าน,,,\n"
                 + "ท่าไร่,2,,กองทุนหมู่บ้าน หมู่ 2 ต.ท่าไร่,ธนาคาร,,,\n")
    result = meetbot("import", str(path))
    assert result.exit_code == 1
    assert "1 problem, nothing imported" in result.stderr
    assert "row 3: group kind 'ธนาคาร'" in result.stderr
    assert row_counts(db)["financial_groups"] == 0

    good = meetbot("import", str(EXAMPLES / "network.yaml"))
    assert good.exit_code == 0, good.output
    assert "groups         7 created" in good.output or "7 created" in good.output
    assert row_counts(db)["financial_groups"] == 7

    unknown = meetbot("import", str(write(tmp_path, "network.json", "{}")))
    assert unknown.exit_code == 1 and ".csv, .xlsx, .yaml" in unknown.stderr


def test_a_later_file_adds_a_line_id_and_a_phone_to_the_same_leader(db, tmp_path):
    fund = "กองทุนหมู่บ้าน หมู่ 3 ต.บางจาก"
    load(db, write(tmp_path, "a.csv", HEADER + f"บางจาก,3,,{fund},กองทุนหมู่บ้าน,สมศรี มีสุข,,\n"))
    report = load(db, write(tmp_path, "b.csv", HEADER + f"บางจาก,3,,{fund},กองทุนหมู่บ้าน,สมศรี มีสุข,{SOMCHAI},"
                                                         "812345678\n"))
    assert report.ok and report.updated["people"] == 1 and not report.created
    with db.reading() as session:
        people = session.scalars(select(Person)).all()
    assert [(p.full_name, p.line_user_id, p.phone) for p in people] == [
        ("สมศรี มีสุข", SOMCHAI, "0812345678")]  # Excel's dropped leading zero put back


def test_one_person_leading_two_groups_is_one_person(db, tmp_path):
    """Mamuang Song Ton: the savings group's committee overlaps the village fund's."""
    path = write(tmp_path, "overlap.yaml", """
sub_districts:
  - name: มะม่วงสองต้น
    groups:
      - name: กลุ่มออมทรัพย์ ต.มะม่วงสองต้น
        leaders: [{name: สมศักดิ์ ทองดี, phone: 0812345670}]
    villages:
      - number: 6
        groups:
          - name: กองทุนหมู่บ้าน หมู่ 6 ต.มะม่วงสองต้น
            leaders: [สมศักดิ์ ทองดี]
""")
    report = load(db, path)
    assert report.ok, [str(e) for e in report.errors]
    assert report.created["people"] == 1 and report.created["roles"] == 2
    with db.reading() as session:
        person = session.scalar(select(Person))
        assert person.phone == "0812345670" and len(person.led_group_ids()) == 2
        kinds = {g.name: g.kind for g in session.scalars(select(FinancialGroup))}
    assert set(kinds.values()) == {GroupKind.SAVINGS_GROUP, GroupKind.VILLAGE_FUND}  # read from the names


def test_yaml_mistakes_are_reported_with_line_numbers(db, tmp_path):
    path = write(tmp_path, "bad.yaml", """sub_districts:
  - name: ท่าไร่
    villages:
      - number: 1
        groups:
          - name: กองทุนหมู่บ้าน หมู่ 1 ต.ท่าไร่
            kind: กองทุนหมู่บ้าน
            leader: สมชาย ใจดี
          - name: กลุ่มออมทรัพย์ หมู่ 1 ต.ท่าไร่
            kind: ออมทรัพย์
            leaders:
              - {name: สมศรี, line_user_id: somsri}
      - name: บ้านที่ไม่มีเลข
""")
    report = load(db, path)
    assert [str(p) for p in report.errors] == [
        "line 6: unknown key 'leader' in a group (expected: kind, leaders, name)",
        "line 12: 'somsri' is not a LINE user id (U followed by 32 hex digits, as the bot shows it); the LINE ID "
        "people choose cannot be used: leave it empty and link later",
        "line 13: a village needs a number (หมู่ที่)",
    ]
    assert row_counts(db)["financial_groups"] == 0
    broken = load(db, write(tmp_path, "broken.yaml", "sub_districts:\n  - name: [ท่าไร่\n"))
    assert len(broken.errors) == 1 and str(broken.errors[0]).startswith("line ")


def test_an_excel_file_and_a_windows_thai_csv(db, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["ตำบล", "หมู่ที่", "ชื่อกลุ่ม", "ประเภทกลุ่ม", "ชื่อผู้นำ", "เบอร์โทร", "หมายเหตุ"])
    sheet.append(["บางจาก", 7, "กองทุนหมู่บ้าน หมู่ 7 ต.บางจาก", "กองทุนหมู่บ้าน", "วีระ กล้าหาญ", 812345604, "ประธาน"])
    sheet.append([None] * 7)
    sheet.append(["บางจาก", 8.0, "กองทุนหมู่บ้าน หมู่ 8 ต.บางจาก", None, None, None, None])
    book.save(tmp_path / "network.xlsx")
    report = load(db, tmp_path / "network.xlsx")
    assert report.ok, [str(e) for e in report.errors]
    assert [str(w) for w in report.warnings] == ["row 1: column 'หมายเหตุ' is not one meetbot reads; ignored"]
    assert report.created["groups"] == 2
    with db.reading() as session:
        assert session.scalar(select(Person.phone)) == "0812345604"

    thai = write(tmp_path, "windows.csv", HEADER + "บางจาก,9,,กองทุนหมู่บ้าน หมู่ 9 ต.บางจาก,กองทุนหมู่บ้าน,,,\n",
                 encoding="cp874")
    report = load(db, thai)
    assert report.ok and report.created["groups"] == 1
    assert "Windows-874" in str(report.warnings[0])
    with db.reading() as session:
        assert session.scalar(select(FinancialGroup).where(FinancialGroup.name == "กองทุนหมู่บ้าน หมู่ 9 ต.บางจาก"))


def test_the_import_completes_the_demo(db):
    """The examples use the demo's group names: importing after `meetbot demo` adds only leaders."""
    from datetime import datetime, timezone

    from models.seed import load_demo

    with db.transaction() as session:
        load_demo(session, year=2026, now=datetime(2026, 7, 27, tzinfo=timezone.utc))
    report = load(db, EXAMPLES / "network.yaml")
    assert report.ok
    assert not report.created["groups"] and not report.created["villages"] and not report.created["sub_districts"]
    assert report.created["people"] == 6 and report.created["roles"] == 6


def test_a_group_spelled_another_way_is_the_same_group(db, tmp_path):
    load(db, EXAMPLES / "network.yaml")
    report = load(db, write(tmp_path, "short.csv", HEADER
                            + "ต.ท่าไร่,ม.1,,กองทุนหมู่บ้าน ม.1 ตำบลท่าไร่,กองทุนฯ,สมศรี มีสุข,,081-234-5603\n"))
    assert report.ok and not report.created, dict(report.created)
    assert report.unchanged["groups"] == 1 and report.unchanged["people"] == 1  # same phone, other dashes
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(FinancialGroup)) == 7
