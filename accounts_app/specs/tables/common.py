"""Pieces several table specs share: key columns, notes, ordinals."""

from ..base import Column, Role

ROUNDING_NOTE = "本表金额转换为万元时，因四舍五入可能存在尾差。"

CODE = Column(
    "code",
    "科目编码",
    role=Role.CODE,
    aliases=("功能分类科目编码", "支出功能分类科目编码", "科目代码", "功能分类", "编码", "代码"),
)
NAME = Column("name", "科目名称", role=Role.NAME, aliases=("项目", "科目"))
ECONOMIC_CODE = Column(
    "code",
    "经济分类科目编码",
    role=Role.CODE,
    aliases=("经济分类科目", "科目编码", "科目代码", "编码", "代码"),
)
LABEL = Column("label", "项目", role=Role.LABEL, aliases=("项目（按功能分类）",))
LINE = Column("line", "行次", role=Role.LINE, aliases=("栏次",), optional=True)

_DIGITS = "零一二三四五六七八九"


def chinese_ordinal(number: int) -> str:
    """1 → 一, 10 → 十, 26 → 二十六 (enough for the 26 功能分类 类)."""
    if number < 10:
        return _DIGITS[number]
    tens, ones = divmod(number, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
