"""The 绩效自评表 of 第五部分 附件 (项目支出 and 部门整体支出), declared once: their kinds, the
parts and the header labels a reader finds them by, the headings they print, the lengths
and ranges the store keeps, and the recomputations the checker makes.

Read by importing.performance (the reader), checking.performance (the recomputations), the
models (their choices and lengths) and the templates (through the models' labels)."""

from __future__ import annotations

from decimal import Decimal

PROJECT, OVERALL = "project", "overall"
KINDS = {PROJECT: "项目支出绩效自评表", OVERALL: "部门整体支出绩效自评表"}
MANAGEMENT, INDICATOR = "management", "indicator"
GROUPS = {MANAGEMENT: "资金管理情况", INDICATOR: "绩效指标"}

# Titles: 项目支出绩效自评表, 部门整体支出绩效自评表, 单位整体支出绩效自评（情况）表.
TITLE_PATTERN = r"(项目支出|部门整体支出|单位整体支出)绩效自评(?:情况)?表"
TITLE_KINDS = {"项目支出": PROJECT, "部门整体支出": OVERALL, "单位整体支出": OVERALL}

# Part labels, compared as the start of a row's first text.
NAME_LABELS = ("项目名称", "部门（单位）名称", "部门名称", "单位名称")
PARTS = {
    "funds": ("项目资金", "部门整体支出情况", "部门整体支出", "单位整体支出情况", "单位整体支出"),
    "management": ("资金管理情况",),
    "goal": ("年度总体目标", "年度履职目标", "年度绩效目标"),
    "tasks": ("年度主要任务",),
    "indicators": ("绩效指标",),
    "total": ("总分",),
}
PART_NAMES = {"funds": "项目资金", "indicators": "绩效指标"}

# Header labels of each part: field -> labels a header cell starts with.
FUND_COLUMNS = {
    "initial_budget": ("年初预算数",),
    "full_budget": ("全年预算数",),
    "executed": ("全年执行数",),
    "weight": ("分值",),
    "rate": ("执行率",),
    "score": ("得分",),
}
MANAGEMENT_COLUMNS = {"weight": ("分值",), "score": ("得分",), "reason": ("存在问题",)}
GOAL_COLUMNS = {"goal_expected": ("预期目标",), "goal_actual": ("实际完成情况", "实际完成")}
TASK_COLUMNS = {"name": ("任务名称",), "content": ("主要内容",), "result": ("实际完成情况", "完成情况")}
INDICATOR_COLUMNS = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "level3": ("三级指标",),
    "target": ("年度指标值", "指标值"),
    "actual": ("实际完成值", "实际值完成值", "实际值", "实际完成"),
    "weight": ("分值",),
    "score": ("得分",),
    "deviation": ("偏差度",),
    "reason": ("偏差原因",),
}
INDICATOR_REQUIRED = ("level3", "weight", "score")
HEADINGS = {
    "initial_budget": "年初预算数", "full_budget": "全年预算数", "executed": "全年执行数", "weight": "分值",
    "rate": "执行率", "score": "得分", "level1": "一级指标", "level2": "二级指标", "level3": "三级指标",
    "target": "年度指标值", "actual": "实际完成值", "deviation": "偏差度", "reason": "偏差原因分析及改进措施",
    "label": "资金", "name": "项目名称", "department": "主管部门", "implementer": "实施单位",
}
# What the store keeps: the length of each text, the range of scores and amounts.
TEXT_LIMITS = {
    "name": 200, "department": 200, "implementer": 200, "label": 100,
    "level1": 100, "level2": 100, "level3": 200, "target": 200, "actual": 200, "deviation": 50,
}
SCORE_LIMIT = Decimal("1000000")  # 分值, 得分 and 执行率: 8 digits, 2 decimals
AMOUNT_LIMIT = Decimal("100000000000000")  # 万元 amounts: 16 digits, 2 decimals
AMOUNTS = ("initial_budget", "full_budget", "executed")

# The recomputations (checking.performance), each failure a warning.
RATE_TOLERANCE = Decimal("0.1")  # 个百分点
SCORE_TOLERANCE = Decimal("0.01")
RULES = {
    "performance.rate": "执行率 = 全年执行数 ÷ 全年预算数 × 100%",
    "performance.score": "资金得分 = 分值 × 执行率",
    "performance.over_weight": "得分不应超过分值",
    "performance.total": "总分 = 资金得分 + 资金管理得分 + 各项绩效指标得分",
    "performance.total_weight": "总分的分值 = 资金、资金管理和各项绩效指标的分值之和",
}
