"""The figures of a version: its tables as found in the workbook, their lines (rows)
and one figure per (line, column). A blank cell has no Figure; "——" (not applicable)
is a Figure with amount NULL; 0.00 is 0.00.

Figures carry their disclosure's fiscal year (`Figure.year`): on PostgreSQL the figure table
is partitioned by it (migration 0017), so a year's bulk CSV reads one partition and one
year's vacuum or reload leaves the others alone. Every writer sets it."""

from django.db import models

from ..numbers import AMOUNT_DIGITS, AMOUNT_PLACES
from .disclosure import Version


class VersionTable(models.Model):
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="tables", verbose_name="版本")
    table = models.CharField("表", max_length=40)
    position = models.PositiveSmallIntegerField("工作簿中的顺序")
    sheet_name = models.CharField("工作表", max_length=100)
    printed_title = models.CharField("表标题（原文）", max_length=200)
    printed_label = models.CharField("表号（原文）", max_length=30, blank=True)
    label = models.CharField(
        "表号", max_length=30, blank=True, help_text="导入时确定：工作簿印的表号，未印时为本地区公开表格式的表号；此后不随格式修改而变。"
    )
    order = models.PositiveSmallIntegerField("公开顺序", default=0, help_text="导入时按本地区公开表格式确定的顺序。")
    numbered = models.BooleanField("印有行次、栏次", default=True, help_text="工作簿是否印有行次或栏次；未印的表公开时也不印。")
    form = models.CharField(
        "印制格式", max_length=40, blank=True,
        help_text="工作簿印的表式，与存储格式不同时填写（如“三公”经费表各项为行）；公开时按此表式印出。",
    )
    printed_entity = models.CharField("部门/单位（原文）", max_length=200, blank=True)
    printed_unit = models.CharField("金额单位（原文）", max_length=20, blank=True)
    note = models.TextField("注（原文）", blank=True)
    figure_count = models.PositiveIntegerField(
        "数据个数", default=0, editable=False, help_text="导入时写入；一个版本的数据存下后不再改变。"
    )

    class Meta:
        verbose_name = "决算表"
        verbose_name_plural = "决算表"
        ordering = ["version", "order", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "table"], name="version_table_unique")]
        # One table of every version, with its count, without reading the others (/api/figures?table=).
        indexes = [models.Index(fields=["table", "version"], include=["figure_count"], name="versiontable_table_version")]

    def __str__(self):
        return f"{self.version} · {self.printed_title}"


class Line(models.Model):
    # No index of its own: line_unique_key starts with table_id and serves every lookup by table.
    table = models.ForeignKey(VersionTable, on_delete=models.CASCADE, related_name="lines", verbose_name="表", db_index=False)
    key = models.CharField("行键（科目编码或行次）", max_length=30)
    label = models.CharField("项目/科目名称（原文）", max_length=200, blank=True)
    position = models.PositiveSmallIntegerField("顺序")
    sheet_row = models.PositiveIntegerField("工作表行号", null=True, blank=True)

    class Meta:
        verbose_name = "行"
        verbose_name_plural = "行"
        ordering = ["table", "position"]
        constraints = [models.UniqueConstraint(fields=["table", "key"], name="line_unique_key")]

    def __str__(self):
        return f"{self.key} {self.label}"


class Figure(models.Model):
    # No index of its own: figure_unique_cell starts with line_id and serves every lookup by line.
    line = models.ForeignKey(Line, on_delete=models.CASCADE, related_name="figures", verbose_name="行", db_index=False)
    column = models.CharField("栏", max_length=40)
    amount = models.DecimalField(
        "金额（万元）或数量", max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES, null=True, blank=True,
        help_text="为空表示“——”（不适用）。",
    )  # numbers.parse_number reads every figure within this range
    cell = models.CharField("单元格", max_length=12, blank=True)
    year = models.PositiveSmallIntegerField(
        "年度", editable=False, help_text="所属决算公开的年度，存储时写入（PostgreSQL 按年度分区存放数据）。"
    )

    class Meta:
        verbose_name = "数据"
        verbose_name_plural = "数据"
        # With the year: a unique constraint of a partitioned table holds its partition key. A
        # line belongs to one version, hence one year, so this is still one figure per cell.
        constraints = [models.UniqueConstraint(fields=["line", "column", "year"], name="figure_unique_cell")]

    def __str__(self):
        return f"{self.line.key}/{self.column} = {self.amount}"


class Finding(models.Model):
    class Severity(models.TextChoices):
        ERROR = "error", "错误"
        WARNING = "warning", "提示"
        MISSING = "missing", "待填写"  # what must be stated before submission (narrative.requirements)

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="findings", verbose_name="版本")
    severity = models.CharField("级别", max_length=10, choices=Severity.choices)
    code = models.CharField("类别代码", max_length=60)
    message = models.TextField("说明")
    table = models.CharField("表", max_length=40, blank=True)
    row = models.CharField("行", max_length=30, blank=True)
    column = models.CharField("栏", max_length=40, blank=True)
    sheet = models.CharField("工作表", max_length=100, blank=True)
    cell = models.CharField("单元格", max_length=12, blank=True)
    expected = models.CharField("应为", max_length=100, blank=True)
    found = models.CharField("实为", max_length=100, blank=True)
    rule = models.CharField("勾稽关系", max_length=200, blank=True)
    explanation = models.TextField("填报人说明", blank=True, help_text="提示须由填报人说明原因后才能提交审核。")

    class Meta:
        verbose_name = "检查结果"
        verbose_name_plural = "检查结果"
        ordering = ["version", "severity", "id"]

    def __str__(self):
        return self.message
