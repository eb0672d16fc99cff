"""The text half of a disclosure, per version: 第一部分 概况 (Profile), the extra facts that
are not in the tables (Fact), what people write into the 情况说明 (WrittenText), optional
extra sections (ExtraSection), the 绩效自评表 of 第五部分 (PerformanceEvaluation with its
fund rows and indicators), and the glossary of 第四部分 per year (GlossaryTerm).

A new version starts from a copy of the previous version's text (services.narrative), so
nothing written is lost by uploading a corrected workbook. Published versions are
immutable like their figures: the forms refuse them, and the drafted 情况说明 is frozen
into `Version.narrative_sections` when the version is published."""

from django.db import models

from .disclosure import Version
from .organisation import FiscalYear


class Profile(models.Model):
    """第一部分 概况."""

    version = models.OneToOneField(Version, on_delete=models.CASCADE, related_name="profile", verbose_name="版本")
    duties = models.JSONField("部门职责", default=list, blank=True, help_text="按顺序排列的职责条目。")
    organisation = models.TextField("机构设置", blank=True)
    internal_bodies = models.JSONField("内设机构", default=list, blank=True)
    units = models.JSONField("决算单位构成", default=list, blank=True, help_text="纳入本决算的单位名称，本级在前。")
    staff_in_service = models.PositiveIntegerField("在职人员（人）", null=True, blank=True)
    staff_retired = models.PositiveIntegerField("离退休人员（人）", null=True, blank=True)
    staff_other = models.PositiveIntegerField("其他人员（人）", null=True, blank=True)
    staff_notes = models.TextField("人员情况说明（编制、增减变化）", blank=True)

    class Meta:
        verbose_name = "部门概况"
        verbose_name_plural = "部门概况"

    def __str__(self):
        return f"{self.version} 概况"

    @property
    def is_empty(self) -> bool:
        return not (
            self.duties or self.organisation or self.internal_bodies or self.units or self.staff_notes
            or any(n is not None for n in (self.staff_in_service, self.staff_retired, self.staff_other))
        )


class Fact(models.Model):
    """One extra fact (specs.facts): an amount in 万元 or a count, optionally per code
    (a 功能分类 项, a 三公 item, a vehicle kind). No row means not entered; a row with
    0.00 means zero; a row without a value means the accountant chose 「无」."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="facts", verbose_name="版本")
    key = models.CharField("项目", max_length=40)
    code = models.CharField("编码", max_length=20, blank=True)
    value = models.DecimalField("数值", max_digits=16, decimal_places=2, null=True, blank=True, help_text="为空表示填报人选择了“无”。")

    class Meta:
        verbose_name = "补充数据"
        verbose_name_plural = "补充数据"
        ordering = ["version", "key", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "key", "code"], name="fact_unique")]

    def __str__(self):
        return f"{self.key}{'/' + self.code if self.code else ''} = {self.value}"


class WrittenText(models.Model):
    """What people write into a 情况说明 section (主要原因, 主要用于, 成效 …), keyed by the
    section and field of narrative.sections; kept when the drafts are regenerated."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="written", verbose_name="版本")
    section = models.CharField("情况说明章节", max_length=40)
    field = models.CharField("填写项", max_length=60)
    text = models.TextField("内容", blank=True)

    class Meta:
        verbose_name = "情况说明填写内容"
        verbose_name_plural = "情况说明填写内容"
        ordering = ["version", "section", "field"]
        constraints = [models.UniqueConstraint(fields=["version", "section", "field"], name="written_unique")]

    def __str__(self):
        return f"{self.section}/{self.field}"


class ExtraSection(models.Model):
    """An optional free section (e.g. 重点工作完成情况), shown after 情况说明, with an
    optional simple table (rows of cells; the first row is the header)."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="extra_sections", verbose_name="版本")
    position = models.PositiveSmallIntegerField("顺序")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文", blank=True)
    table = models.JSONField("表格", default=list, blank=True)

    class Meta:
        verbose_name = "其他章节"
        verbose_name_plural = "其他章节"
        ordering = ["version", "position"]

    def __str__(self):
        return self.title


class GlossaryTerm(models.Model):
    """第四部分 名词解释: the standard glossary of a year, edited by administrators."""

    year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="glossary", verbose_name="年度")
    position = models.PositiveSmallIntegerField("顺序")
    term = models.CharField("名词", max_length=100)
    definition = models.TextField("解释")

    class Meta:
        verbose_name = "名词解释"
        verbose_name_plural = "名词解释"
        ordering = ["year", "position"]
        constraints = [models.UniqueConstraint(fields=["year", "term"], name="glossary_unique_term")]

    def __str__(self):
        return self.term


class PerformanceEvaluation(models.Model):
    """One 绩效自评表 of 第五部分: a project's (项目支出) or the department's (部门整体支出)."""

    class Kind(models.TextChoices):
        PROJECT = "project", "项目支出绩效自评表"
        OVERALL = "overall", "部门整体支出绩效自评表"

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="evaluations", verbose_name="版本")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    position = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("项目名称／部门（单位）名称", max_length=200)
    department = models.CharField("主管部门", max_length=200, blank=True)
    implementer = models.CharField("实施单位", max_length=200, blank=True)
    goal_expected = models.TextField("年度总体目标／履职目标：预期目标", blank=True)
    goal_actual = models.TextField("年度总体目标／履职目标：实际完成情况", blank=True)
    tasks = models.JSONField(
        "年度主要任务", default=list, blank=True, help_text="部门整体：[{name, content, result}]（任务名称、主要内容、实际完成情况）。"
    )
    total_weight = models.DecimalField("总分：分值", max_digits=8, decimal_places=2, null=True, blank=True)
    total_score = models.DecimalField("总分：得分（原文）", max_digits=8, decimal_places=2, null=True, blank=True)
    sheet = models.CharField("工作表", max_length=100, blank=True)

    class Meta:
        verbose_name = "绩效自评表"
        verbose_name_plural = "绩效自评表"
        ordering = ["version", "position"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.name}"

    @property
    def management_rows(self) -> list:
        return [row for row in self.indicators.all() if row.group == PerformanceIndicator.Group.MANAGEMENT]

    @property
    def indicator_rows(self) -> list:
        return [row for row in self.indicators.all() if row.group == PerformanceIndicator.Group.INDICATOR]


class PerformanceFund(models.Model):
    """A fund row: 年度资金总额 / 财政拨款 / 财政专户管理资金 / 单位资金 (项目), or
    部门预算总额 and its 资金来源 (部门整体). Printed 执行率 and 得分 are kept as data and
    checked against the recomputed ones."""

    evaluation = models.ForeignKey(PerformanceEvaluation, on_delete=models.CASCADE, related_name="funds", verbose_name="绩效自评表")
    position = models.PositiveSmallIntegerField("顺序")
    label = models.CharField("资金", max_length=100)
    initial_budget = models.DecimalField("年初预算数", max_digits=16, decimal_places=2, null=True, blank=True)
    full_budget = models.DecimalField("全年预算数", max_digits=16, decimal_places=2, null=True, blank=True)
    executed = models.DecimalField("全年执行数", max_digits=16, decimal_places=2, null=True, blank=True)
    weight = models.DecimalField("分值", max_digits=8, decimal_places=2, null=True, blank=True)
    rate = models.DecimalField("执行率（%，原文）", max_digits=8, decimal_places=2, null=True, blank=True)
    score = models.DecimalField("得分（原文）", max_digits=8, decimal_places=2, null=True, blank=True)
    cell = models.CharField("单元格", max_length=12, blank=True)

    class Meta:
        verbose_name = "资金情况"
        verbose_name_plural = "资金情况"
        ordering = ["evaluation", "position"]


class PerformanceIndicator(models.Model):
    """An indicator row, or a 资金管理情况 row (group MANAGEMENT: level3 holds the item,
    target the 情况说明, reason the 存在问题和改进措施)."""

    class Group(models.TextChoices):
        MANAGEMENT = "management", "资金管理情况"
        INDICATOR = "indicator", "绩效指标"

    evaluation = models.ForeignKey(
        PerformanceEvaluation, on_delete=models.CASCADE, related_name="indicators", verbose_name="绩效自评表"
    )
    position = models.PositiveSmallIntegerField("顺序")
    group = models.CharField("分组", max_length=12, choices=Group.choices, default=Group.INDICATOR)
    level1 = models.CharField("一级指标", max_length=100, blank=True)
    level2 = models.CharField("二级指标", max_length=100, blank=True)
    level3 = models.CharField("三级指标", max_length=200, blank=True)
    target = models.CharField("年度指标值", max_length=200, blank=True)
    actual = models.CharField("实际完成值", max_length=200, blank=True)
    weight = models.DecimalField("分值", max_digits=8, decimal_places=2, null=True, blank=True)
    score = models.DecimalField("得分", max_digits=8, decimal_places=2, null=True, blank=True)
    deviation = models.CharField("偏差度", max_length=50, blank=True)
    reason = models.TextField("偏差原因分析及改进措施", blank=True)
    cell = models.CharField("单元格", max_length=12, blank=True)

    class Meta:
        verbose_name = "绩效指标"
        verbose_name_plural = "绩效指标"
        ordering = ["evaluation", "position"]
