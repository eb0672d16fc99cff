"""Pieces several table specs share: key columns, notes, ordinals."""

from ..base import Column, Role, chinese_ordinal  # noqa: F401 (re-exported for the table builders)

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
