"""The newer national layout and the variations of the country: each imports, or is read
as far as it can be and says exactly why not, naming the sheet and the department's own
table number. Workbooks are built at test time from the seed workbooks with openpyxl."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from accounts_app.models import Finding, SheetMapping, VersionTable
from accounts_app.services import workflow
from accounts_app.services.imports import workbook_import
from accounts_app.services.organisations import RegionInfo, disclosure_ensure, region_ensure
from tests.conftest import corrected_seed_book, seed_workbook
from tests.imports.test_seed_workbooks import stored_figures
from tests.seeds.transcriptions import expected_figures
from tests.statements import state_the_rest

pytestmark = pytest.mark.django_db
SHANGHAI = "shanghai_2024"


def _book(seed: str) -> openpyxl.Workbook:
    return corrected_seed_book(seed)


def _bytes(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _expected(seed: str) -> dict:
    return {(t, r, c): a for t, cells in expected_figures(seed).items() for (r, c), a in cells.items()}


def _sheet(outcome, name: str):
    return next(s for s in outcome.sheets if s.sheet == name)


def _title_cell(sheet):
    return next(c for row in sheet.iter_rows(max_row=3) for c in row if isinstance(c.value, str) and c.value.endswith("表"))


# -- the newer national order -----------------------------------------------------------


def test_the_shanghai_workbook_imports_with_every_figure_of_the_pdf(seed_disclosure):
    disclosure = seed_disclosure(SHANGHAI)
    path = seed_workbook(SHANGHAI)
    outcome = workbook_import(disclosure=disclosure, data=path.read_bytes(), filename=path.name)
    assert outcome.accepted
    assert outcome.errors == [], [str(p) for p in outcome.errors]
    assert stored_figures(outcome.version) == _expected(SHANGHAI)
    read = [(s.sheet, s.status, s.table, s.label, s.title) for s in outcome.sheets]
    assert read == [
        ("表一", "read", "income_expense", "表一", "收入支出决算总表"),
        ("表二", "read", "income", "表二", "收入决算表"),
        ("表三", "read", "expense", "表三", "支出决算表"),
        ("表四", "read", "fiscal_income_expense", "表四", "财政拨款收入支出决算总表"),
        ("表五", "read", "gpb_expense", "表五", "一般公共预算财政拨款支出决算表"),
        ("表六", "read", "gpb_basic", "表六", "一般公共预算财政拨款基本支出决算表"),
        ("表七", "read", "three_public", "表七", "财政拨款“三公”经费支出决算表"),
        ("表八", "read", "gov_fund", "表八", "政府性基金预算财政拨款收入支出决算表"),
        ("表九", "read", "soe_capital_ie", "表九", "国有资本经营预算财政拨款收入支出决算表"),
    ]
    assert _sheet(outcome, "表一").headline == "307.82"
    # the 0.01 尾差 of the document are warnings, each naming the table by its own number
    assert {p.code for p in outcome.warnings} == {"check.rounding"}
    assert all(p.message.startswith(("表五「", "表六「")) for p in outcome.warnings)


def test_the_three_public_table_printed_item_over_budget_and_final_reads_every_column(seed_disclosure):
    """The newer order prints each 三公 item over a 预算数 | 决算数 pair: fill the pairs and
    every figure lands under the key of its item and part."""
    book = _book(SHANGHAI)
    sheet = book["表七"]
    values = {c: Decimal(c) / 100 for c in range(1, 13)}  # A7…L7, under 预算数 | 决算数: 0.01 … 0.12
    for c, value in values.items():
        sheet.cell(7, c, float(value))
    outcome = workbook_import(disclosure=seed_disclosure(SHANGHAI), data=_bytes(book), filename="sg.xlsx")
    stored = {k[2]: v for k, v in stored_figures(outcome.version).items() if k[0] == "three_public"}
    items = ("total", "abroad", "car", "car_purchase", "car_operation", "reception")
    expected = {}
    for i, item in enumerate(items):
        expected[f"budget_{item}"] = values[2 * i + 1]
        expected[f"final_{item}"] = values[2 * i + 2]
    assert stored == expected


def test_an_older_order_fund_table_titled_shouxin_zhichu_is_the_fund_table(seed_disclosure):
    """「国有资本经营预算财政拨款收入支出决算表」 contains 「支出决算表」: it is still read as the
    国有资本经营 table (in its 收入支出 form), never as 支出决算表."""
    book = _book("000")
    sheet = next(s for s in book.worksheets if s.title == "公开08表")
    _title_cell(sheet).value = "国有资本经营预算财政拨款收入支出决算表"
    outcome = workbook_import(disclosure=seed_disclosure("000"), data=_bytes(book), filename="soe.xlsx")
    reading = _sheet(outcome, "公开08表")
    assert (reading.status, reading.family) == ("read", "soe_capital")
    assert not any(p.code == "table.missing" for p in outcome.errors)
    assert not any("上缴上级支出" in p.message for p in outcome.problems)
    assert stored_figures(outcome.version) == _expected("000")


@pytest.mark.parametrize(
    ("sheet", "title"),
    [
        ("公开04表", "财政拨款收支决算总表"),
        ("公开05表", "一般公共预算财政拨款支出决算明细表"),
        ("公开06表", "一般公共预算财政拨款基本支出决算表"),
        ("公开07表", "政府性基金预算财政拨款支出决算表"),
        ("公开09表", "“三公”经费支出决算表"),
        ("公开09表", "财政拨款“三公经费”支出决算明细表"),
        ("公开09表", "财政拨款三公经费支出情况表"),
        ("公开09表", "2023年度财政拨款“三公”经费决算表（公开09表）"),
    ],
)
def test_every_title_variant_is_recognised(seed_disclosure, sheet, title):
    book = _book("000")
    _title_cell(book[sheet]).value = title
    outcome = workbook_import(disclosure=seed_disclosure("000"), data=_bytes(book), filename="variant.xlsx")
    assert _sheet(outcome, sheet).status == "read"
    assert outcome.errors == [], [str(p) for p in outcome.errors]
    assert stored_figures(outcome.version) == _expected("000")


def _items_form_book(values: dict[str, tuple[str, str]]) -> openpyxl.Workbook:
    """Seed 000 with its 三公 table in the third form: items as rows × 预算数 | 决算数."""
    book = _book("000")
    old = book["公开09表"]
    index = book.worksheets.index(old)
    book.remove(old)
    sheet = book.create_sheet("公开09表", index)
    sheet.append(["财政拨款“三公”经费支出决算表"])
    sheet.append(["部门名称：新乡市凤泉区医疗保障局", None, "单位：万元"])
    sheet.append(["项目", "预算数", "决算数"])
    for label, (budget, final) in values.items():
        sheet.append([label, budget, final])
    return book


def test_the_three_public_items_form_is_stored_under_the_same_keys(seed_disclosure):
    rows = {
        "合计": ("3.00", "2.50"),
        "因公出国（境）费": ("", ""),
        "公务用车购置及运行维护费": ("2.00", "1.80"),
        "其中：公务用车购置费": ("", ""),
        "公务用车运行维护费": ("2.00", "1.80"),
        "公务接待费": ("1.00", "0.70"),
    }
    outcome = workbook_import(disclosure=seed_disclosure("000"), data=_bytes(_items_form_book(rows)), filename="c.xlsx")
    assert _sheet(outcome, "公开09表").status == "read"
    stored = {k[1:]: v for k, v in stored_figures(outcome.version).items() if k[0] == "three_public"}
    assert stored == {
        ("total", "budget_total"): Decimal("3.00"),
        ("total", "final_total"): Decimal("2.50"),
        ("total", "budget_car"): Decimal("2.00"),
        ("total", "final_car"): Decimal("1.80"),
        ("total", "budget_car_operation"): Decimal("2.00"),
        ("total", "final_car_operation"): Decimal("1.80"),
        ("total", "budget_reception"): Decimal("1.00"),
        ("total", "final_reception"): Decimal("0.70"),
    }
    # the 12-栏 form's rules run on them: 合计 = Σ items holds here
    assert not [p for p in outcome.errors if p.table == "three_public"]


def test_the_detail_three_public_form_is_stored_under_the_same_keys_and_printed_back_in_its_own(client, publish_seed):
    """Seed 002 prints 三公 with the items as rows × 年初预算数/全年预算数/决算数, then 相关统计数: stored
    under the keys of the 12-栏 form (counts by name, —— kept as not applicable); its public page and
    CSV print the department's own rows and columns again."""
    version = publish_seed("002")
    assert [s["table"] for s in version.reading if s["sheet"] == "三公"] == ["three_public"]
    stored = {k[1:]: v for k, v in stored_figures(version).items() if k[0] == "three_public"}
    assert stored == {
        ("total", "budget_total"): Decimal("0.10"),
        ("total", "final_total"): Decimal("0.10"),
        ("total", "budget_reception"): Decimal("0.10"),
        ("total", "final_reception"): Decimal("0.10"),
        ("total", "initial_reception_domestic"): None,
        ("total", "budget_reception_domestic"): None,
        ("total", "final_reception_domestic"): Decimal("0.10"),
        ("total", "initial_reception_foreign_affairs"): None,
        ("total", "budget_reception_foreign_affairs"): None,
        ("total", "initial_reception_foreign"): None,
        ("total", "budget_reception_foreign"): None,
        ("total", "reception_domestic_batches"): Decimal("1.00"),
        ("total", "reception_domestic_people"): Decimal("8.00"),
    }
    page = client.get(f"/disclosures/{version.disclosure_id}/").content.decode()
    table = page[page.index('id="table-three_public"') :]
    table = table[: table.index("</table>")]
    assert "年初预算数" in table and "5.国内公务接待批次（个）" in table
    text = client.get(f"/disclosures/{version.disclosure_id}/versions/1/tables/three_public.csv").getvalue().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["项目", "行次", "年初预算数", "全年预算数", "决算数"]
    assert rows[7] == ["（1）国内接待费", "7", "——", "——", "0.10"]
    assert rows[15] == ["5.国内公务接待批次（个）", "15", "——", "——", "1"]  # as the form prints it


# -- what cannot be read is said, and kept as a draft that cannot be submitted -------------


def test_a_sheet_without_a_title_is_unsure_and_names_its_best_candidate(seed_disclosure):
    book = _book("000")
    sheet = book["公开02表"]
    _title_cell(sheet).value = None
    outcome = workbook_import(disclosure=seed_disclosure("000"), data=_bytes(book), filename="notitle.xlsx")
    reading = _sheet(outcome, "公开02表")
    assert reading.status == "unsure"
    assert reading.candidates[0]["table"] == "income"
    [error] = [p for p in outcome.errors if p.sheet == "公开02表"]
    assert error.message == (
        "工作表「公开02表」无法确定是哪张公开表（没有表标题，按表头判断），可能是公开02表「收入决算表」。"
        "请在“确认工作表”中指定。"
    )
    assert not any(p.code == "table.missing" for p in outcome.errors)  # the unsure sheet may be it
    assert outcome.accepted  # stored as a draft with the rest of the tables


def test_two_sheets_fitting_one_table_read_the_first_and_say_so(seed_disclosure):
    book = _book("000")
    copy = book.copy_worksheet(book["公开02表"])
    copy.title = "收入表副本"
    outcome = workbook_import(disclosure=seed_disclosure("000"), data=_bytes(book), filename="twice.xlsx")
    assert _sheet(outcome, "公开02表").status == "read"
    assert _sheet(outcome, "收入表副本").status == "duplicate"
    [error] = [p for p in outcome.errors if p.code == "table.duplicate"]
    assert error.message == (
        "工作表「收入表副本」与工作表「公开02表」都是公开02表「收入决算表」，只读取了「公开02表」。"
        "请删除多余的工作表，或在“确认工作表”中指定。"
    )
    assert stored_figures(outcome.version) == _expected("000")


def test_a_table_in_a_form_the_portal_cannot_read_says_so(seed_disclosure):
    book = _book("000")
    sheet = book["公开09表"]
    for merged in list(sheet.merged_cells.ranges):
        sheet.unmerge_cells(str(merged))
    for row in sheet.iter_rows(min_row=5):
        for cell in row:
            if type(cell).__name__ == "Cell":
                cell.value = None
    sheet["A5"], sheet["B5"], sheet["C5"] = "支出项目", "金额", "占比"
    sheet["A6"], sheet["B6"], sheet["C6"] = "出国", 1, "10%"
    outcome = workbook_import(disclosure=seed_disclosure("000"), data=_bytes(book), filename="form.xlsx")
    reading = _sheet(outcome, "公开09表")
    assert reading.status == "form_unknown"
    [error] = [p for p in outcome.errors if p.sheet == "公开09表"]
    assert error.message.startswith(
        "工作表「公开09表」是公开09表「财政拨款“三公”经费支出决算表」，但其表式本平台尚不能读取：表头为「支出项目、金额、占比」"
    )
    assert outcome.accepted


def test_a_workbook_with_one_unreadable_table_is_a_draft_that_cannot_be_submitted(seed_disclosure, django_user_model):
    disclosure = seed_disclosure("000")
    book = _book("000")
    sheet = book["公开02表"]
    header = next(c for row in sheet.iter_rows(max_row=8) for c in row if c.value == "事业收入")
    header.value = "事业性收费"
    outcome = workbook_import(disclosure=disclosure, data=_bytes(book), filename="bad.xlsx")
    version = outcome.version
    assert version is not None and version.status == "draft"
    assert _sheet(outcome, "公开02表").status == "failed"
    assert _sheet(outcome, "公开02表").reason == (
        "工作表「公开02表」是公开02表「收入决算表」，但表头中找不到「事业收入」栏。"
    )
    assert VersionTable.objects.filter(version=version).count() == 8  # every other table is kept
    assert version.findings.filter(severity=Finding.Severity.ERROR, code="header.missing_column").exists()
    user = django_user_model.objects.create_superuser("boss", "b@example.gov.cn", "x")
    with pytest.raises(workflow.TransitionRefused):
        state_the_rest(version)
        workflow.version_submit(version=version, actor=workflow.Actor(user))


# -- the department's own numbering ---------------------------------------------------------


def test_every_message_names_the_sheet_and_the_departments_own_number(catalogs):
    """A region in the newer order prints 三公 as 公开07表: a problem in it names 公开07表 and the
    sheet, never the portal's 公开09表."""
    region = region_ensure(info=RegionInfo("310199", "测试区", "上海市", "测试区财政局", "national_2023"))
    disclosure = disclosure_ensure(region=region, entity="中共上海市普陀区委社会工作部", year=2024, kind="department")
    book = _book(SHANGHAI)
    sheet = book["表七"]
    sheet.title = "三公经费"
    sheet.insert_rows(2)
    sheet["L2"] = "公开07表"
    sheet["A7"], sheet["B7"], sheet["C7"] = 5.00, 6.00, 1.00  # 合计 budget 5.00, but 因公出国 alone 1.00 …
    outcome = workbook_import(disclosure=disclosure, data=_bytes(book), filename="sg.xlsx")
    reading = _sheet(outcome, "三公经费")
    assert (reading.status, reading.label) == ("read", "公开07表")
    mine = [p for p in outcome.problems if p.sheet == "三公经费"]
    assert mine, "the 三公 figures break its 勾稽关系"
    for problem in mine:
        assert problem.message.startswith("公开07表「财政拨款“三公”经费支出决算表」："), problem.message
        assert "09" not in problem.message
    stored = VersionTable.objects.get(version=outcome.version, table="three_public")
    assert stored.printed_label == "公开07表"


# -- the mapping step --------------------------------------------------------------------


def test_a_sheet_mapped_by_hand_is_read_and_the_mapping_is_reused(seed_disclosure, django_user_model):
    disclosure = seed_disclosure("000")
    book = _book("000")
    _title_cell(book["公开02表"]).value = None
    data = _bytes(book)
    actor = workflow.Actor(django_user_model.objects.create_superuser("acc", "a@example.gov.cn", "x"))
    first = workflow.version_upload(disclosure=disclosure, data=data, filename="m.xlsx", actor=actor)
    assert _sheet(first, "公开02表").status == "unsure"
    second = workflow.version_remap(version=first.version, choices={"公开02表": "income"}, actor=actor)
    first.version.refresh_from_db()
    assert first.version.status == "discarded"
    assert SheetMapping.objects.get(department=disclosure.department, sheet_name="公开02表").table == "income"
    assert not second.findings.filter(severity="error").exists()
    assert stored_figures(second) == _expected("000")
    # the next upload of the department applies the mapping without asking
    third = workflow.version_upload(disclosure=disclosure, data=data, filename="again.xlsx", actor=actor)
    reading = _sheet(third, "公开02表")
    assert (reading.status, reading.mapped, reading.table) == ("read", True, "income")
    assert third.errors == []


def test_an_unsubmitted_draft_is_discarded_by_its_department_and_leaves_the_list(client, seed_disclosure, django_user_model):
    from accounts_app.models import AuditEntry, Membership

    disclosure = seed_disclosure("000")
    accountant = django_user_model.objects.create_user("acc000", password="x")
    Membership.objects.create(user=accountant, role="accountant", department=disclosure.department)
    outcome = workflow.version_upload(
        disclosure=disclosure, data=seed_workbook("000").read_bytes(), filename="d.xlsx", actor=workflow.Actor(accountant)
    )
    version = outcome.version
    reviewer = django_user_model.objects.create_user("rev000", password="x")
    Membership.objects.create(user=reviewer, role="reviewer", region=disclosure.department.region)
    client.force_login(reviewer)
    assert client.post(f"/work/versions/{version.pk}/discard/").status_code == 404  # reviewers never see drafts
    client.force_login(accountant)
    response = client.post(f"/work/versions/{version.pk}/discard/")
    assert response.status_code == 302 and response["Location"] == f"/work/disclosures/{disclosure.pk}/"
    version.refresh_from_db()
    assert version.status == "discarded"
    page = client.get(response["Location"]).content.decode()
    assert f"/work/versions/{version.pk}/" not in page
    assert "另有 1 个已作废的草稿未列出（文件和操作记录仍保留）。" in page
    assert version.source_file.storage.exists(version.source_file.name)
    assert AuditEntry.objects.filter(version=version, action="discard", detail="作废第 1 版").exists()
    again = client.post(f"/work/versions/{version.pk}/discard/", follow=True).content.decode()
    assert "只有“草稿、退回”的版本可以这样操作" in again


def test_the_workbook_the_issue_was_tried_with_imports_whole(catalogs):
    """A department of another province, 2023 accounts in the newer order: 三公 as 公开07表 in the
    items-as-rows 预算数/决算数 form, the fund tables as 公开08/09表 titled 「…收入支出决算表」, text
    amounts with thousands separators, one 0.01 尾差. Every table is read, nothing is an error,
    and every message uses the workbook's own numbers."""
    region = region_ensure(info=RegionInfo("330106", "杭州市西湖区", "浙江省", "杭州市西湖区财政局", "national_2023"))
    disclosure = disclosure_ensure(region=region, entity="中共上海市普陀区委社会工作部", year=2024, kind="department")
    book = _book(SHANGHAI)
    for n, name in enumerate(["表一", "表二", "表三", "表四", "表五", "表六", "表七", "表八", "表九"], start=1):
        book[name]["A2"] = f"公开{n:02d}表"
    old = book["表七"]
    book.remove(old)
    sheet = book.create_sheet("表七", 6)
    sheet.append(["财政拨款“三公”经费支出决算表"])
    sheet.append(["公开07表", None, "单位：万元"])
    sheet.append(["项目", "预算数", "决算数"])
    for label, budget, final in [
        ("合计", "1,203.50", "1,203.51"),  # 0.01 more than its parts: a 尾差
        ("因公出国（境）费", "", ""),
        ("公务用车购置及运行维护费", "1,200.00", "1,200.00"),
        ("其中：公务用车购置费", "1,000.00", "1,000.00"),
        ("公务用车运行维护费", "200.00", "200.00"),
        ("公务接待费", "3.50", "3.50"),
    ]:
        sheet.append([label, budget or None, final or None])
    table_two = book["表二"]
    for row in table_two.iter_rows():
        for cell in row:
            if isinstance(cell.value, float) and cell.value > 100:
                cell.value = f"{cell.value:,.2f}"
    outcome = workbook_import(disclosure=disclosure, data=_bytes(book), filename="zj.xlsx")
    assert outcome.errors == [], [str(p) for p in outcome.errors]
    labels = {s.sheet: (s.status, s.label, s.family) for s in outcome.sheets}
    assert labels["表七"] == ("read", "公开07表", "three_public")
    assert labels["表八"] == ("read", "公开08表", "gov_fund")
    assert labels["表九"] == ("read", "公开09表", "soe_capital")
    rounding = [p for p in outcome.warnings if p.sheet == "表七"]
    # 合计 1,203.51 against Σ 1,203.50 and against its 预算数 1,203.50: both within the 尾差
    assert {p.rule for p in rounding} == {
        "合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费（决算数）",
        "决算数不超过预算数（合计）",
    }
    assert {p.code for p in rounding} == {"check.rounding"}
    assert all(p.message.startswith("公开07表「财政拨款“三公”经费支出决算表」：") for p in rounding)
    stored = stored_figures(outcome.version)
    assert stored[("income", "total", "total")] == Decimal("307.82")
    assert stored[("three_public", "total", "final_total")] == Decimal("1203.51")


def test_tables_printed_without_line_numbers_are_published_without_them(client, publish_seed):
    """The newer order prints no 行次/栏次: its page, PDF source and downloads leave them out
    too; the older order keeps them."""
    newer, older = publish_seed(SHANGHAI), publish_seed("000")
    page = client.get(f"/disclosures/{newer.disclosure_id}/").content.decode()
    first = page[page.index('id="table-income_expense"') :]
    first = first[: first.index("</table>")]
    assert "行次" not in first and "栏次" not in first
    assert "二十六、抗疫特别国债安排的支出" in first
    csv = client.get(f"/disclosures/{newer.disclosure_id}/versions/1/tables/income_expense.csv").getvalue().decode("utf-8")
    assert "行次" not in csv.splitlines()[0]
    page = client.get(f"/disclosures/{older.disclosure_id}/").content.decode()
    first = page[page.index('id="table-income_expense"') :]
    assert "行次" in first[: first.index("</table>")]


def test_a_table_without_line_numbers_may_leave_out_classes_but_not_its_totals(seed_disclosure):
    """Shanghai's official 2024 template lists 24 类 (no 债务还本/付息支出): a workbook made from it
    imports; a missing 本年收入合计 is still an error, named by label, not by a 行次 it never printed."""
    book = _book(SHANGHAI)
    for name in ("表一", "表四"):
        for row in book[name].iter_rows():
            for cell in row:
                if cell.value in ("二十四、债务还本支出", "二十五、债务付息支出"):
                    cell.value = None
                elif cell.value == "二十六、抗疫特别国债安排的支出":
                    cell.value = "二十四、抗疫特别国债安排的支出"
    outcome = workbook_import(disclosure=seed_disclosure(SHANGHAI), data=_bytes(book), filename="t.xlsx")
    assert outcome.errors == [], [str(p) for p in outcome.errors]
    assert stored_figures(outcome.version) == _expected(SHANGHAI)
    total = next(c for row in book["表一"].iter_rows() for c in row if c.value == "本年收入合计")
    total.value = None
    outcome = workbook_import(disclosure=seed_disclosure(SHANGHAI), data=_bytes(book), filename="t2.xlsx")
    assert [p.message for p in outcome.errors if p.code == "row.missing_row"] == ["表一「收入支出决算总表」：缺少「本年收入合计」行。"]
