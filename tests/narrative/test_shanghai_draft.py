"""The drafted 第三部分 情况说明 of the fourth seed, 中共上海市普陀区委社会工作部 2024 年度部门决算
(newer national order, 表一–表九), against the document's own 情况说明.

As `make run` does it: import the seed workbook, apply tests/fixtures/seeds/
narrative_shanghai_2024.json (概况, extra facts, written parts) and refresh the narrative
findings; then draft and compare every amount (万元) and share or change (%) printed in the
document's sections 一 … 十一 with the numbers of the corresponding drafted sections, with the
helpers and tolerances of test_drafts.py (amounts exactly, percentages within 0.1 point).

The Shanghai numbering is not the draft's: 七 is 三公, 八 政府性基金, 九 国有资本经营, 十 预算绩效
管理情况, and 十一 其他重要事项 holds 机关运行经费, 政府采购 and 国有资产. What the draft does not
print is listed in NOT_DERIVED with the reason, and what it prints only because the written
text (copied from the document) says it is listed in FROM_WRITTEN; both lists are exact.

The comparison is by value within a section, so a few document numbers match a drafted number
that is another quantity of the same value: in 五, 全年预算 202.24 and 11.72 equal the 决算 of
their 项, the growth 100.00% equals the share 占本年支出合计的 100.00%; in 十一, the 机关运行经费 growth
100.00% (from 0, which the draft does not print) equals the 政府采购 shares 占…的 100.00%. 年初预算
0 万元 (五) and 工程／服务采购 0 万元 (十一) are the same quantities as the draft's 0.00 万元."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from accounts_app.narrative.context import context_of
from accounts_app.narrative.drafting import draft
from accounts_app.selectors import version_snapshot
from accounts_app.services.imports import workbook_import
from accounts_app.services.findings import version_findings_refresh
from accounts_app.services.narrative import narrative_apply
from tests.conftest import seed_workbook
from tests.narrative.test_drafts import HEADING, WRITTEN, matches, normalize, numbers, section_text

pytestmark = pytest.mark.django_db

SEED = "shanghai_2024"
SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
DOCUMENT = SEEDS / "shanghai-putuo-shgzb-2024.txt"
NARRATIVE = SEEDS / f"narrative_{SEED}.json"

# The document's sections and the drafted sections they correspond to.
LAYOUT = {
    "一": ("overview",),
    "二": ("income",),
    "三": ("expense",),
    "四": ("fiscal",),
    "五": ("gpb",),
    "六": ("basic",),
    "七": ("three_public",),
    "八": ("gov_fund",),
    "九": ("soe",),
    "十": ("performance",),
    "十一": ("operating", "procurement", "assets"),
}

FROM_ZERO = "growth from a last year of 0 (founded in 2024): the document prints 100.00%, the draft prints no % of a zero base"
FULL_YEAR = "全年预算 (年初 0 + 调整): the facts spec has 年初预算 only (initial_budget, initial_budget_total), no 全年预算"
NOT_DERIVED = {
    ("一", "100.00%"): FROM_ZERO,
    ("四", "100.00%"): FROM_ZERO,
    ("五", "321.02 万元"): FULL_YEAR + " (一般公共预算财政拨款支出 全年预算)",
    ("五", "95.89%"): "printed as 完成年初预算的 95.89% but it is 307.82 ÷ 321.02 of the 全年预算 (年初预算 is 0): "
    "a mislabel in the document; the draft has no 全年预算 and prints no % of a 年初预算 of 0",
    **{("五", f"{amount} 万元"): FULL_YEAR + " (per 项)" for amount in ("52.00", "17.68", "9.00", "5.74", "2.23", "2.29", "18.12")},
    **{("五", rate): FULL_YEAR + " (完成全年预算数 per 项)" for rate in ("98.69%", "99.55%", "97.68%")},
}
# Numbers the draft prints only because the written text copied from the document says them.
FROM_WRITTEN = {
    ("十", "175.52 万元"): WRITTEN + " (预算绩效管理: 编报绩效目标／跟踪评价／自评 项目 涉及预算金额, performance_management.text)",
}


def document_sections() -> dict[str, str]:
    """The document's 第三部分 by section (the table of contents also names 第三部分 and 第四部分),
    with the one unit pdftotext broke over two lines joined again (五: “6.18 万\n\n元”)."""
    text = re.sub(r"万\s+元", "万元", DOCUMENT.read_text(encoding="utf-8"))
    part = text[text.rindex("第三部分") : text.rindex("第四部分")]
    sections: dict[str, list[str]] = {}
    current = None
    for line in part.splitlines():
        heading = HEADING.match(line)
        if heading and heading.group(1) in LAYOUT:
            current = heading.group(1)
        if current:
            sections.setdefault(current, []).append(line)
    return {ordinal: normalize("\n".join(lines)) for ordinal, lines in sections.items()}


@pytest.fixture
def version(seed_disclosure):
    """The seed imported as a draft with its narrative, as the demo loads it."""
    disclosure = seed_disclosure(SEED)
    path = seed_workbook(SEED)
    outcome = workbook_import(disclosure=disclosure, data=path.read_bytes(), filename=path.name)
    assert outcome.accepted and outcome.errors == [], [str(p) for p in outcome.errors]
    narrative_apply(version=outcome.version, data=json.loads(NARRATIVE.read_text(encoding="utf-8")))
    refreshed = version_findings_refresh(version=outcome.version)
    assert [f.message for f in refreshed if f.code == "narrative.contradiction"] == []  # the written text contradicts no figure
    return outcome.version


def by_key(sections) -> dict:
    """Every drafted section by its key, those standing under a heading (十一 其他重要事项) too."""
    found = {}
    for section in sections:
        found[section.key] = section
        found.update(by_key(section.subsections))
    return found


def unmatched(sections) -> tuple[int, set[tuple[str, str]]]:
    drafted = by_key(sections)
    seen, missing = 0, set()
    for ordinal, text in document_sections().items():
        draft_numbers = [n for key in LAYOUT[ordinal] for n in numbers(section_text(drafted[key]))]
        for printed, value, unit in numbers(text):
            seen += 1
            if not matches(value, unit, draft_numbers):
                missing.add((ordinal, printed))
    return seen, missing


def test_the_document_has_its_eleven_sections():
    sections = document_sections()
    assert list(sections) == list(LAYOUT)
    assert sum(len(numbers(text)) for text in sections.values()) == 71


def test_every_derivable_number_of_the_shanghai_text_is_in_the_draft(version):
    ctx = context_of(version_snapshot(version))
    seen, with_written = unmatched(draft(ctx))
    _, figures_only = unmatched(draft(dataclasses.replace(ctx, written={})))
    assert seen == 71
    missing = sorted(with_written - set(NOT_DERIVED))
    assert not missing, f"numbers of the document missing from the draft: {missing}"
    assert set(NOT_DERIVED) - with_written == set(), "documented as not derivable, but the draft prints them"
    assert figures_only - with_written == set(FROM_WRITTEN)


def test_the_narrative_fills_the_first_part_and_states_nothing_unknown(version):
    profile = version.profile
    assert profile.units == ["中共上海市普陀区委社会工作部（本级）", "上海市普陀区社会工作发展服务中心"]
    assert profile.duties[0].startswith("中共上海市普陀区委社会工作部负责贯彻落实党中央有关方针政策")
    assert profile.duties[-1] == "指导社会工作人才队伍建设等。"
    assert (profile.staff_in_service, profile.staff_retired, profile.staff_other, profile.staff_notes) == (None, None, None, "")
    keys = {(f.key, f.code) for f in version.facts.all()}
    # 全年预算 figures are not 年初预算: no 年初预算 per 项, the 年初预算 total is the document's 0
    assert not any(key == "initial_budget" for key, _ in keys)
    assert version.facts.get(key="initial_budget_total").value == 0
    # the document states no 三公 statistics and no last-year 收入合计／支出合计／基本支出／三公
    for key in ("abroad_groups", "car_holding", "reception_domestic_batches", "three_public_initial_budget",
                "last_income_total", "last_expense_total", "last_basic", "last_three_public"):
        assert not any(k == key for k, _ in keys), key


def test_the_draft_follows_the_documents_outline(version):
    """The region's table set names the newer order's outline: 七 三公, 八/九 funds, 十 预算绩效
    管理情况, 十一 其他重要事项 holding (一) 机关运行经费 (二) 政府采购 (三) 国有资产."""
    sections = draft(context_of(version_snapshot(version)))
    outline = [(s.number, s.title) for s in sections]
    assert outline[6:] == [
        ("七", "财政拨款“三公”经费支出决算情况说明"),
        ("八", "政府性基金预算财政拨款收入支出决算情况说明"),
        ("九", "国有资本经营预算财政拨款收入支出决算情况说明"),
        ("十", "预算绩效管理情况"),
        ("十一", "其他重要事项的情况说明"),
    ]
    assert [(s.number, s.key, s.title) for s in sections[-1].subsections] == [
        ("（一）", "operating", "机关运行经费支出情况"),
        ("（二）", "procurement", "政府采购支出情况"),
        ("（三）", "assets", "国有资产占有使用情况说明"),
    ]
    for ordinal, (number, title) in zip(document_sections(), outline):
        assert ordinal == number, (ordinal, number, title)


def test_the_draft_says_what_the_document_says(version):
    sections = by_key(draft(context_of(version_snapshot(version))))
    assert sections["overview"].paragraphs[0] == (
        "2024 年度收、支总计均为 307.82 万元。与上年度相比，收、支总计各增加 307.82 万元。主要原因是单位于 2024 年成立。"
    )
    assert section_text(sections["gpb"].subsections[2]).startswith(
        "2024 年度一般公共预算财政拨款支出年初预算为 0.00 万元，支出决算为 307.82 万元。"
    )
    assert section_text(sections["three_public"]).count("无“三公”经费财政拨款支出") == 1
    assert section_text(sections["gov_fund"]).endswith("没有使用政府性基金预算财政拨款安排的支出。")
    assert section_text(sections["soe"]).endswith("没有使用国有资本经营预算财政拨款安排的支出。")
    assert sections["operating"].paragraphs == [
        "2024 年度机关运行经费支出 10.23 万元，比 2023 年度增加 10.23 万元。主要原因是单位于 2024 年成立。"
    ]
    assert sections["procurement"].paragraphs[0].startswith(
        "2024 年度政府采购支出总额 21.07 万元，其中：政府采购货物支出 21.07 万元、政府采购工程支出 0.00 万元、"
        "政府采购服务支出 0.00 万元。授予中小企业合同金额 21.07 万元"
    )
    assert "共有车辆 0 辆" in section_text(sections["assets"])
    assert "单位价值 100 万元（含）以上设备 0 台（套）" in section_text(sections["assets"])
    # the document reports 机关运行经费, 政府采购 and 国有资产: none of them may read 无
    drafted = "\n".join(section_text(s) for s in sections.values())
    for absent in ("无机关运行经费支出", "无政府采购支出", "无车辆", "无收入、支出", "无一般公共预算财政拨款"):
        assert absent not in drafted
