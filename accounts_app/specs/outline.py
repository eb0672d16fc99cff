"""The outline of 第三部分 情况说明 as a region's template numbers it: which sections, in which
order, under which titles, and which stand together under one heading. The drafting reads
this; a region's table set names its outline (TableLayout.outline)."""

from __future__ import annotations

# (section key, title) or (group key, title, ((section key, title), …)); the keys are the
# drafted sections' (narrative.drafting), and the written parts are kept under them.
OUTLINES: dict[str, tuple] = {
    "standard": (
        ("overview", "收入支出决算总体情况说明"),
        ("income", "收入决算情况说明"),
        ("expense", "支出决算情况说明"),
        ("fiscal", "财政拨款收入支出决算总体情况说明"),
        ("gpb", "一般公共预算财政拨款支出决算情况说明"),
        ("basic", "一般公共预算财政拨款基本支出决算情况说明"),
        ("gov_fund", "政府性基金预算财政拨款支出决算情况说明"),
        ("soe", "国有资本经营预算财政拨款支出决算情况说明"),
        ("three_public", "财政拨款“三公”经费支出决算情况说明"),
        ("operating", "机关运行经费支出情况说明"),
        ("procurement", "政府采购支出情况说明"),
        ("assets", "国有资产占用情况说明"),
        ("performance", "预算绩效情况说明"),
    ),
    # The newer national order (seeds/shanghai-template-2024): 三公 before the fund tables,
    # 预算绩效管理情况, and the other facts under 其他重要事项.
    "national_2023": (
        ("overview", "收入支出决算总体情况说明"),
        ("income", "收入决算情况说明"),
        ("expense", "支出决算情况说明"),
        ("fiscal", "财政拨款收入支出决算总体情况说明"),
        ("gpb", "一般公共预算财政拨款支出决算情况说明"),
        ("basic", "一般公共预算财政拨款基本支出决算情况说明"),
        ("three_public", "财政拨款“三公”经费支出决算情况说明"),
        ("gov_fund", "政府性基金预算财政拨款收入支出决算情况说明"),
        ("soe", "国有资本经营预算财政拨款收入支出决算情况说明"),
        ("performance", "预算绩效管理情况"),
        (
            "other",
            "其他重要事项的情况说明",
            (
                ("operating", "机关运行经费支出情况"),
                ("procurement", "政府采购支出情况"),
                ("assets", "国有资产占有使用情况说明"),
            ),
        ),
    ),
}
OUTLINE_NAMES = {"standard": "十三节（公开01–09表的顺序）", "national_2023": "十一节（新版全国格式：三公为七，其他重要事项为十一）"}
DEFAULT_OUTLINE = "standard"
