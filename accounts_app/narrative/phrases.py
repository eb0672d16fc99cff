"""The phrases 情况说明 is written in, as the seeds print them: “与上年度相比，收、支总计各增加
34.22 万元，增长 10.08%。”, “完成年初预算的 82.50%”, shares to two decimals, “持平” when equal."""

from __future__ import annotations

from decimal import Decimal

from ..numbers import ZERO, in_text, share


def percent(value: Decimal) -> str:
    return f"{value}%"


def with_share(text: str, part: Decimal | None, whole: Decimal | None, of: str = "") -> str:
    """`text` (“基本支出 99.70 万元”) and “，占{of} 26.68%” where there is a whole to take it of."""
    rate = share(part, whole)
    return text if rate is None else f"{text}，占{of} {percent(rate)}"


def change(label: str, now: Decimal | None, last: Decimal | None, *, both: bool = False, against: str = "与上年度相比，") -> str:
    """“与上年度相比，收、支总计各增加 34.22 万元，增长 10.08%。”, “…持平。”, or ""."""
    if now is None or last is None:
        return ""
    difference = now - last
    if difference == 0:
        return f"{against}{label}持平。"
    verb, trend = ("增加", "增长") if difference > 0 else ("减少", "下降")
    rate = share(abs(difference), last)
    tail = f"，{trend} {percent(rate)}" if rate is not None else ""
    return f"{against}{label}{'各' if both else ''}{verb} {in_text(abs(difference))} 万元{tail}。"


def completion(budget: Decimal | None, final: Decimal | None, *, of: str = "年初预算") -> str:
    """“年初预算为 0.80 万元，支出决算为 0.66 万元，完成年初预算的 82.50%。”"""
    final = final if final is not None else ZERO
    if budget is None:
        return f"支出决算为 {in_text(final)} 万元。"
    rate = share(final, budget)
    tail = f"，完成{of}的 {percent(rate)}" if rate is not None else ""
    return f"{of}为 {in_text(budget)} 万元，支出决算为 {in_text(final)} 万元{tail}。"


def listing(items: list[str], separator: str = "；") -> str:
    return separator.join(items)
