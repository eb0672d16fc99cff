"""A region's departments, units and users from CSV (docs/admin.md): the file read into
typed rows, or rejected whole with every problem it has, each with its row (CsvRejected).
Pure: nothing is looked up in the database; services.organisations_csv imports the rows.

One row per department, per 填报人 of a department, per 审核人 of the region. Columns are
found by their header, in any order (CSV_COLUMNS, CSV_ALIASES); cells are trimmed; a
department named on several rows is one department (its 下属单位 from all of them)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

CSV_COLUMNS = {
    "部门名称": "department",
    "部门编码": "code",
    "本级单位": "main_unit",
    "下属单位": "sub_units",
    "角色": "role",
    "用户名": "username",
    "姓名": "name",
    "电子邮箱": "email",
}
CSV_REQUIRED = ("部门名称", "角色", "用户名", "姓名", "电子邮箱")
CSV_ALIASES = {"部门": "部门名称", "邮箱": "电子邮箱", "电子邮件": "电子邮箱", "账号": "用户名", "登录名": "用户名"}
ROLES = ("填报人", "审核人")  # Membership.Role's labels: the service maps them
CSV_MAX_BYTES = 2 * 1024 * 1024
CSV_MAX_ROWS = 5000
UNIT_SEPARATOR = re.compile(r"[；;、|\n]")
TITLES = {field: title for title, field in CSV_COLUMNS.items()}
# field → the model field's length
CSV_LENGTHS = {"department": 200, "code": 30, "main_unit": 200, "sub_units": 200, "username": 150, "name": 150, "email": 254}

CSV_MESSAGES = {
    "too_large": "文件超过 {limit} MB。",
    "encoding": "无法识别文件的编码：请另存为 UTF-8 或 GBK（GB18030）编码的 CSV 文件。",
    "empty": "文件中没有数据行。",
    "too_many_rows": "文件超过 {limit} 行，请分成几个文件导入。",
    "missing_columns": "表头缺少这些列：{columns}（表头须在第一行）。",
    "unknown_columns": "表头有不认识的列：{columns}。",
    "repeated_columns": "表头中「{column}」出现了不止一次。",
    "role_unknown": "第 {line} 行：角色「{role}」不认识，应为「填报人」「审核人」或留空。",
    "person_without_role": "第 {line} 行：填写了用户，但没有角色（填报人或审核人）。",
    "department_missing": "第 {line} 行：缺少部门名称。",
    "accountant_without_department": "第 {line} 行：填报人须填写所属部门的名称。",
    "reviewer_with_department": "第 {line} 行：审核人审核整个行政区划，不属于部门：请将部门各列留空（部门另起一行）。",
    "field_missing": "第 {line} 行：缺少{column}。",
    "too_long": "第 {line} 行：{column}超过 {limit} 个字符。",
    "username_invalid": "第 {line} 行：用户名「{username}」只能由字母、数字、汉字和 @ . + - _ 组成，不含空格。",
    "email_invalid": "第 {line} 行：电子邮箱「{email}」格式不正确。",
    "username_repeated": "用户名「{username}」在第 {lines} 行重复。",
    "email_repeated": "电子邮箱 {email} 在第 {lines} 行属于不同的用户。",
    "code_conflict": "部门「{name}」的编码在第 {lines} 行不一致。",
    "main_conflict": "部门「{name}」的本级单位在第 {lines} 行不一致。",
    "unit_main_and_sub": "部门「{name}」的单位「{unit}」既是本级又是下属单位（第 {lines} 行）。",
}


class CsvRejected(Exception):
    """The file is not imported at all, for these reasons (every one found)."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class CsvDepartment:
    name: str
    code: str
    main_unit: str
    sub_units: tuple[str, ...]
    lines: tuple[int, ...]


@dataclass(frozen=True)
class CsvPerson:
    role: str  # 填报人 or 审核人
    username: str
    name: str
    email: str
    department: str  # its department's name (填报人); "" for 审核人
    line: int


@dataclass(frozen=True)
class OrganisationsFile:
    departments: tuple[CsvDepartment, ...]
    people: tuple[CsvPerson, ...]

    @property
    def size(self) -> int:
        """How many items the import goes through (its progress bar's length)."""
        return len(self.departments) + len(self.people)


def csv_decode(data: bytes) -> str:
    """The text of an uploaded CSV: UTF-8 (with or without BOM, as Excel saves it) or GB18030 (GBK)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CsvRejected([CSV_MESSAGES["encoding"]])


def lines_text(numbers) -> str:
    """Row numbers as the messages print them: 2、3、5."""
    return "、".join(str(n) for n in sorted(set(numbers)))


def organisations_csv_parse(*, data: bytes) -> OrganisationsFile:
    """Read a region's departments, units and users from CSV; raise CsvRejected listing
    every problem of the file."""
    if len(data) > CSV_MAX_BYTES:
        raise CsvRejected([CSV_MESSAGES["too_large"].format(limit=CSV_MAX_BYTES // (1024 * 1024))])
    reader = csv.reader(io.StringIO(csv_decode(data)))
    columns = _columns(next(reader, None))
    departments: dict[str, dict] = {}  # name → its codes, 本级单位 and 下属单位, each with its rows
    people: list[CsvPerson] = []
    problems: list[str] = []
    rows = 0
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        rows += 1
        if rows > CSV_MAX_ROWS:
            raise CsvRejected([CSV_MESSAGES["too_many_rows"].format(limit=CSV_MAX_ROWS)])
        line = reader.line_num
        value = {field: row[i].strip() if i < len(row) else "" for field, i in columns.items()}
        value = {name: value.get(name, "") for name in CSV_COLUMNS.values()}
        subs = [sub.strip() for sub in UNIT_SEPARATOR.split(value["sub_units"]) if sub.strip()]
        problems += _row_problems(value, subs, line)
        if value["department"]:
            entry = departments.setdefault(value["department"], {"codes": {}, "mains": {}, "subs": {}, "lines": []})
            entry["lines"].append(line)
            for key, names in (("codes", [value["code"]]), ("mains", [value["main_unit"]]), ("subs", subs)):
                for name in filter(None, names):
                    entry[key].setdefault(name, []).append(line)
        if value["role"] in ROLES:
            department = value["department"] if value["role"] == "填报人" else ""
            people.append(CsvPerson(value["role"], value["username"], value["name"], value["email"], department, line))
    if not departments and not people and not problems:
        raise CsvRejected([CSV_MESSAGES["empty"]])
    problems += _repeated_people(people)
    parsed = []
    for name, entry in departments.items():
        problems += _department_conflicts(name, entry)
        code, main = next(iter(entry["codes"]), ""), next(iter(entry["mains"]), "")
        parsed.append(CsvDepartment(name, code, main, tuple(entry["subs"]), tuple(entry["lines"])))
    if problems:
        raise CsvRejected(problems)
    return OrganisationsFile(tuple(parsed), tuple(people))


def _columns(header: list[str] | None) -> dict[str, int]:
    """field → its column, from the header row (CsvRejected: a column missing, unknown or twice)."""
    if header is None:
        raise CsvRejected([CSV_MESSAGES["empty"]])
    columns: dict[str, int] = {}
    problems, unknown = [], []
    for index, title in enumerate(header):
        title = CSV_ALIASES.get(title.strip(), title.strip())
        if not title:
            continue
        if title not in CSV_COLUMNS:
            unknown.append(title)
        elif CSV_COLUMNS[title] in columns:
            problems.append(CSV_MESSAGES["repeated_columns"].format(column=title))
        else:
            columns[CSV_COLUMNS[title]] = index
    missing = [title for title in CSV_REQUIRED if CSV_COLUMNS[title] not in columns]
    if missing:
        problems.append(CSV_MESSAGES["missing_columns"].format(columns="、".join(missing)))
    if unknown:
        problems.append(CSV_MESSAGES["unknown_columns"].format(columns="、".join(unknown)))
    if problems:
        raise CsvRejected(problems)
    return columns


def _row_problems(value: dict[str, str], subs: list[str], line: int) -> list[str]:
    """What is wrong with one row by itself: lengths, the role and what it needs, the user's fields."""
    problems = [
        CSV_MESSAGES["too_long"].format(line=line, column=TITLES[name], limit=limit)
        for name, limit in CSV_LENGTHS.items()
        if any(len(text) > limit for text in (subs if name == "sub_units" else [value[name]]))
    ]
    role = value["role"] or None
    has_person = any(value[name] for name in ("username", "name", "email"))
    has_department = any(value[name] for name in ("department", "code", "main_unit", "sub_units"))
    if role is not None and role not in ROLES:
        return problems + [CSV_MESSAGES["role_unknown"].format(line=line, role=role)]
    if role == "审核人" and has_department:
        problems.append(CSV_MESSAGES["reviewer_with_department"].format(line=line))
    elif role is None and has_person:
        problems.append(CSV_MESSAGES["person_without_role"].format(line=line))
    elif role == "填报人" and not value["department"]:
        problems.append(CSV_MESSAGES["accountant_without_department"].format(line=line))
    elif role is None and not value["department"]:
        problems.append(CSV_MESSAGES["department_missing"].format(line=line))
    if role is None:
        return problems
    problems += [CSV_MESSAGES["field_missing"].format(line=line, column=TITLES[name]) for name in ("username", "name", "email") if not value[name]]
    for name, validate in (("username", UnicodeUsernameValidator()), ("email", validate_email)):
        try:
            if value[name]:
                validate(value[name])
        except ValidationError:
            problems.append(CSV_MESSAGES[f"{name}_invalid"].format(line=line, **{name: value[name]}))
    return problems


def _repeated_people(people: list[CsvPerson]) -> list[str]:
    """A username on two rows; one e-mail for two usernames."""
    rows_of: dict[str, list[int]] = {}
    owners: dict[str, dict[str, list[int]]] = {}
    for entry in people:
        rows_of.setdefault(entry.username.lower(), []).append(entry.line)
        if entry.email:
            owners.setdefault(entry.email.lower(), {}).setdefault(entry.username.lower(), []).append(entry.line)
    problems = [
        CSV_MESSAGES["username_repeated"].format(username=entry.username, lines=lines_text(rows_of[entry.username.lower()]))
        for entry in people
        if entry.username and len(rows_of[entry.username.lower()]) > 1 and rows_of[entry.username.lower()][0] == entry.line
    ]
    for email, by_user in owners.items():
        if len(by_user) > 1:
            problems.append(CSV_MESSAGES["email_repeated"].format(email=email, lines=lines_text(n for ls in by_user.values() for n in ls)))
    return problems


def _department_conflicts(name: str, entry: dict) -> list[str]:
    """A department's rows that disagree: two codes, two 本级单位, a unit both 本级 and 下属."""
    problems = [
        CSV_MESSAGES[code].format(name=name, lines=lines_text(n for ls in entry[key].values() for n in ls))
        for key, code in (("codes", "code_conflict"), ("mains", "main_conflict"))
        if len(entry[key]) > 1
    ]
    for main in entry["mains"]:
        if main in entry["subs"]:
            lines = lines_text(entry["mains"][main] + entry["subs"][main])
            problems.append(CSV_MESSAGES["unit_main_and_sub"].format(name=name, unit=main, lines=lines))
    return problems


# The sample offered for download on the import page (docs/admin.md explains it).
SAMPLE_CSV = """部门名称,部门编码,本级单位,下属单位,角色,用户名,姓名,电子邮箱
示例区教育局,901001,示例区教育局机关,示例区第一中学；示例区实验小学,填报人,sl-jiaoyu,张敏,zhangmin@example.gov.cn
示例区教育局,,,,填报人,sl-jiaoyu2,李娜,lina@example.gov.cn
示例区卫生健康委员会,901002,,,填报人,sl-weijian,王强,wangqiang@example.gov.cn
示例区民政局,901003,,,,,,
,,,,审核人,sl-czj,赵磊,zhaolei@example.gov.cn
"""
