"""Charts as server-rendered SVG (the page and the PDF use the same markup), each with
the figures it draws so the page can show them in an accessible table beside it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape

from ..dataset import Dataset
from ..numbers import money, share
from ..specs.key_figures import BY_KEY, CLASSES_WITH, EXPENSE_PARTS, INCOME_SOURCES_ABOVE, KEY_LABELS, TOTALS

# Every colour at least 3:1 against the white the charts stand on (WCAG 2.1 1.4.11; the ratios in
# docs/accessibility.md, checked by tests/browser/test_accessibility.py); the page draws white
# lines between a donut's sectors (static/css/portal.css), so no colour meets another.
PALETTE = ("#9b1c1c", "#0b4f8a", "#a86f00", "#2f7d4f", "#6b3fa0", "#00838f", "#7a5c3e", "#52606d", "#d9480f", "#5c940d")
FONT = 'font-family="Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif"'


@dataclass
class ChartRow:
    label: str
    value: Decimal
    share: Decimal | None = None  # percent, two decimals
    group: str = ""


@dataclass
class Chart:
    key: str
    title: str
    svg: str
    rows: list[ChartRow] = field(default_factory=list)
    columns: tuple[str, ...] = ("项目", "金额（万元）", "占比")
    empty_text: str = "本年度无相关数据。"

    @property
    def is_empty(self) -> bool:
        return not self.rows


def _shares(rows: list[ChartRow]) -> list[ChartRow]:
    total = sum((row.value for row in rows), Decimal(0))
    for row in rows:
        row.share = share(row.value, total)
    return rows


def donut(key: str, title: str, rows: list[ChartRow]) -> Chart:
    rows = _shares([row for row in rows if row.value > 0])
    if not rows:
        return Chart(key, title, "", [])
    size, radius, inner = 220, 100, 58
    cx = cy = size / 2
    parts = []
    angle = -math.pi / 2
    total = sum(row.value for row in rows)
    for i, row in enumerate(rows):
        sweep = float(row.value / total) * 2 * math.pi
        colour = PALETTE[i % len(PALETTE)]
        if sweep >= 2 * math.pi - 1e-9:
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="{radius}" fill="{colour}"/>')
        else:
            x1, y1 = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
            x2, y2 = cx + radius * math.cos(angle + sweep), cy + radius * math.sin(angle + sweep)
            large = 1 if sweep > math.pi else 0
            parts.append(
                f'<path d="M{cx:.2f},{cy:.2f} L{x1:.2f},{y1:.2f} A{radius},{radius} 0 {large} 1 {x2:.2f},{y2:.2f} Z" '
                f'fill="{colour}"><title>{escape(row.label)} {money(row.value)}万元（{row.share}%）</title></path>'
            )
        angle += sweep
    parts.append(f'<circle cx="{cx}" cy="{cy}" r="{inner}" fill="#fff"/>')
    parts.append(f'<text x="{cx}" y="{cy - 4}" text-anchor="middle" font-size="13" {FONT}>合计</text>')
    parts.append(f'<text x="{cx}" y="{cy + 14}" text-anchor="middle" font-size="13" {FONT}>{money(total)}</text>')
    legend = []
    for i, row in enumerate(rows):
        y = 20 + i * 22
        legend.append(f'<rect x="{size + 10}" y="{y - 11}" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>')
        legend.append(
            f'<text x="{size + 28}" y="{y}" font-size="12" {FONT}>{escape(row.label)} {row.share}%</text>'
        )
    height = max(size, 30 + len(rows) * 22)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size + 300} {height}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>{"".join(parts)}{"".join(legend)}</svg>'
    )
    return Chart(key, title, svg, rows)


def bars(key: str, title: str, rows: list[ChartRow], *, series: tuple[str, ...] = ()) -> Chart:
    """Horizontal bars; with `series`, rows come in groups (one bar per series per label)."""
    rows = [row for row in rows if row.value is not None]
    if not rows or not any(row.value for row in rows):
        return Chart(key, title, "", [])
    if not series:
        _shares(rows)
    label_width, bar_width, bar_height, gap = 210, 330, 18, 6
    top = max(row.value for row in rows)
    parts, y = [], 10
    labels = list(dict.fromkeys(row.label for row in rows))
    for label in labels:
        group = [row for row in rows if row.label == label]
        parts.append(
            f'<text x="{label_width - 8}" y="{y + bar_height * len(group) / 2 + 4}" text-anchor="end" font-size="12" {FONT}>'
            f"{escape(label[:16])}</text>"
        )
        for row in group:
            index = series.index(row.group) if row.group in series else 0
            width = float(row.value / top) * bar_width if top else 0
            colour = PALETTE[index % len(PALETTE)]
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{width:.1f}" height="{bar_height}" fill="{colour}">'
                f"<title>{escape(label)} {escape(row.group)} {money(row.value)}万元</title></rect>"
            )
            parts.append(
                f'<text x="{label_width + width + 4:.1f}" y="{y + 13}" font-size="11" {FONT}>{money(row.value)}</text>'
            )
            y += bar_height + 2
        y += gap
    legend = ""
    if series:
        legend = "".join(
            f'<rect x="{label_width + i * 110}" y="{y + 4}" width="12" height="12" fill="{PALETTE[i]}"/>'
            f'<text x="{label_width + 16 + i * 110}" y="{y + 15}" font-size="12" {FONT}>{escape(name)}</text>'
            for i, name in enumerate(series)
        )
        y += 24
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {label_width + bar_width + 90} {y + 6}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>{"".join(parts)}{legend}</svg>'
    )
    chart = Chart(key, title, svg, rows)
    if series:
        chart.columns = ("项目", "年度", "金额（万元）")
    return chart


# -- the disclosure's charts ------------------------------------------------------------


def income_structure(dataset: Dataset) -> Chart:
    """收入结构: the 收入 sources above 本年收入合计 (财政拨款, 事业收入 …)."""
    total = BY_KEY[INCOME_SOURCES_ABOVE]
    table = dataset.get(total.table)
    rows = []
    if table:
        block = table.spec.blocks[total.block]
        stop = total.row_key(table.spec)
        for row in block.rows:
            if row.key == stop:
                break
            value = table.value(row.key, total.column)
            if row.label and value:
                rows.append(ChartRow(row.label.split("、", 1)[-1], value))
    return donut("income_mix", "收入结构", rows)


def expense_structure(dataset: Dataset) -> Chart:
    """支出结构: 基本支出 and 项目支出 (their 合计)."""
    rows = []
    for key in EXPENSE_PARTS:
        figure = BY_KEY[key]
        table = dataset.get(figure.table)
        value = table.value(figure.row_key(table.spec), figure.column) if table else None
        if value:
            rows.append(ChartRow(KEY_LABELS[key], value))
    return donut("expense_mix", "支出结构", rows)


def expense_by_class(dataset: Dataset) -> Chart:
    """支出按功能分类 类 (the 类 rows of the table holding the 基本支出 key figure)."""
    table = dataset.get(BY_KEY[CLASSES_WITH].table)
    rows = []
    if table:
        for key, line in table.lines.items():
            if len(key) == 3 and key.isdigit() and line.values.get("total"):
                rows.append(ChartRow(f"{key} {line.label}", line.values["total"]))
    rows.sort(key=lambda row: row.value, reverse=True)
    return bars("by_class", "支出按功能分类（类）", rows)


def totals_against_last_year(summary: dict, last_summary: dict | None, year: int) -> Chart:
    """收支总计 this year against last year's published disclosure."""
    if not last_summary:
        return Chart("totals", "收支总计与上年比较", "", [], empty_text="上年度决算未在本平台公开，暂无比较。")
    rows = []
    for key in TOTALS:
        for label_year, source in ((year - 1, last_summary), (year, summary)):
            if source.get(key) is not None:
                rows.append(ChartRow(KEY_LABELS[key], Decimal(source[key]), group=f"{label_year}年度"))
    return bars("totals", "收支总计与上年比较", rows, series=(f"{year - 1}年度", f"{year}年度"))


def disclosure_charts(dataset: Dataset, summary: dict, last_summary: dict | None) -> list[Chart]:
    return [
        income_structure(dataset),
        expense_structure(dataset),
        expense_by_class(dataset),
        totals_against_last_year(summary, last_summary, dataset.year),
    ]
