"""A disclosure (entity × year × kind) and its versions. Nothing is overwritten:
every upload is a new version, and versions are never deleted. Their queryset methods say
once what is published and what a scope (access.Scope) reads or works on."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .organisation import Department, FiscalYear, Unit, covered


# A disclosure is on the public lists once it has a current version (only ever a published one).
LISTED = Q(current_version__isnull=False)


class DisclosureQuerySet(models.QuerySet):
    def published(self) -> "DisclosureQuerySet":
        """What the public sees: the disclosures whose current version (the one last
        published) is published, with what their lists show."""
        return self.filter(LISTED).select_related(
            "department__region", "unit", "year", "current_version"
        )

    def workable_by(self, scope) -> "DisclosureQuerySet":
        """What a scope prepares (填报人: its department's) or reviews (审核人: its
        region's); all for 管理员. With the names every list of them shows."""
        condition = covered(scope, "department")
        disclosures = self.select_related("department__region", "unit", "year")
        return disclosures if condition is None else disclosures.filter(condition)


class VersionQuerySet(models.QuerySet):
    def published(self) -> "VersionQuerySet":
        return self.filter(status=Version.Status.PUBLISHED)

    def visible_to(self, scope) -> "VersionQuerySet":
        """What a scope may read: the published versions, and those of its organisation —
        all for 填报人, from submission on for 审核人 (drafts are the department's own,
        `scope.sees_drafts`), every one for 管理员. With the disclosure and its names,
        which every page of a version shows."""
        versions = self.select_related("disclosure__department__region", "disclosure__unit", "disclosure__year")
        own = covered(scope, "disclosure__department")
        if own is None:
            return versions
        if not scope.sees_drafts:
            own &= ~Q(status__in=[Version.Status.DRAFT, Version.Status.DISCARDED])
        return versions.filter(Q(status=Version.Status.PUBLISHED) | own)


class Disclosure(models.Model):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", "部门决算"
        UNIT = "unit", "单位决算"

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="disclosures", verbose_name="部门")
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disclosures",
        verbose_name="单位",
        help_text="单位决算填写；部门决算留空。",
    )
    year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="disclosures", verbose_name="年度")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    approval_date = models.DateField(
        "批复日期", null=True, blank=True, help_text="财政部门批复决算的日期；须在批复后 20 日内公开（预算法第十四条）。"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    current_version = models.ForeignKey(
        "Version",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="现行公开版本",
        editable=False,
        help_text="最近公开的版本；由公开操作设置。",
    )

    # What the public lists sort, filter and search by, copied from the year, the region, the
    # department, the unit and the current version (services.listing `listing_refresh`, run
    # whenever the current version changes), so that a list's page is read from one index in
    # its order instead of sorting every published disclosure across five tables.
    listed_at = models.DateTimeField("现行版本公开时间", null=True, blank=True, editable=False)
    listed_year = models.PositiveSmallIntegerField("年度（列表）", null=True, blank=True, editable=False)
    listed_region = models.CharField("行政区划代码（列表）", max_length=12, blank=True, editable=False)
    listed_region_name = models.CharField("行政区划（列表）", max_length=100, blank=True, editable=False)
    listed_department = models.CharField("部门名称（列表）", max_length=200, blank=True, editable=False)
    listed_unit = models.CharField("单位名称（列表）", max_length=200, blank=True, editable=False, help_text="部门决算为空。")
    listed_figures = models.PositiveIntegerField("现行版本数据个数", default=0, editable=False)
    # What the board shows of each row, copied by the same refresh so that it reads the
    # disclosure alone: when the earliest published version was published (the deadline is
    # met or missed by it), and the current version's 公开质量 (services.quality refreshes the
    # copy whenever it scores the current version again).
    first_published_at = models.DateTimeField("首次公开时间", null=True, blank=True, editable=False)
    listed_score = models.DecimalField("现行版本公开质量得分", max_digits=6, decimal_places=2, null=True, blank=True, editable=False)
    listed_grade = models.CharField("现行版本公开质量等级", max_length=20, blank=True, editable=False)

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        verbose_name = "决算公开"
        verbose_name_plural = "决算公开"
        ordering = ["-year__year", "department__name"]
        # One index per order of the public lists (LISTING_ORDERS in selectors_listing), each
        # over the listed disclosures only; a filter on the leading column stays in order.
        indexes = [
            models.Index(fields=fields, name=name, condition=LISTED)
            for name, fields in (
                ("disclosure_listed_by_year", ["-listed_year", "listed_region", "listed_department", "listed_unit", "id"]),
                ("disclosure_listed_by_region", ["listed_region", "-listed_year", "listed_department", "listed_unit", "id"]),
                ("disclosure_listed_by_kind", ["kind", "-listed_year", "listed_region", "listed_department", "listed_unit", "id"]),
                ("disclosure_listed_by_name", ["listed_department", "listed_unit", "id"]),
                ("disclosure_listed_by_time", ["listed_at", "id"]),
                # /api/figures of a region's year, in its order (api.queries PAGE_ORDER): the
                # walk stops with the page instead of sorting the region's disclosures.
                ("disclosure_listed_figures", ["listed_year", "listed_region", "current_version_id"]),
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "year"],
                condition=models.Q(kind="department"),
                name="disclosure_one_department_disclosure_per_year",
            ),
            models.UniqueConstraint(
                fields=["unit", "year"],
                condition=models.Q(kind="unit"),
                name="disclosure_one_unit_disclosure_per_year",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="department", unit__isnull=True) | models.Q(kind="unit", unit__isnull=False),
                name="disclosure_unit_only_for_unit_kind",
            ),
        ]

    def __str__(self):
        return f"{self.entity_name} {self.year.year}年度{self.get_kind_display()}"

    @property
    def entity_name(self) -> str:
        return self.unit.name if self.kind == self.Kind.UNIT and self.unit else self.department.name

    @property
    def listed_name(self) -> str:
        """entity_name from the listing columns (the unit's name for a 单位决算, else the
        department's), for the public lists, which read no other row."""
        return self.listed_unit or self.listed_department

    @property
    def accepted_names(self) -> set[str]:
        """Names the workbook may print as 部门/单位: the department's, and the unit's for 单位决算."""
        names = {self.department.name}
        if self.unit:
            names.add(self.unit.name)
        return names

    @property
    def region(self):
        return self.department.region

    def has_published(self) -> bool:
        """Was a version ever published? Then the next one is a correction (更正), which
        must say what it corrects."""
        return self.versions.published().exists()


class ListingCount(models.Model):
    """How many disclosures (and figures of their current versions) the public lists hold per
    year, region and kind: the exact totals the lists and the API show without counting rows,
    recomputed for its key whenever a disclosure's current version changes (services.listing)."""

    year = models.PositiveSmallIntegerField("年度")
    region = models.CharField("行政区划代码", max_length=12)
    kind = models.CharField("类型", max_length=20, choices=Disclosure.Kind.choices)
    disclosures = models.PositiveIntegerField("已公开决算数", default=0)
    figures = models.PositiveBigIntegerField("现行版本数据个数", default=0)
    table_figures = models.JSONField("各表数据个数", default=dict, blank=True, help_text="表键 → 现行版本中该表的数据个数之和。")
    key_totals = models.JSONField(
        "主要数据合计", default=dict, blank=True,
        help_text="主要数据键 → [已知数之和（万元，文本）, 已知该数的决算数]：部门对比的合计行由此读出。",
    )

    class Meta:
        verbose_name = "公开数量"
        verbose_name_plural = "公开数量"
        constraints = [models.UniqueConstraint(fields=["year", "region", "kind"], name="listing_count_unique_key")]

    def __str__(self):
        return f"{self.year} {self.region} {self.kind}: {self.disclosures}"


class ListingCell(models.Model):
    """How many current versions of the listed disclosures of a year, region and kind hold a
    figure in this cell (table, row key, column; a version holds a cell at most once): what
    /api/figures counts for a code or column filter without matching figure by figure.
    Recomputed with ListingCount (services.listing); its rows per key are as many as the cells
    of the catalogue, whatever the number of disclosures."""

    year = models.PositiveSmallIntegerField("年度")
    region = models.CharField("行政区划代码", max_length=12)
    kind = models.CharField("类型", max_length=20, choices=Disclosure.Kind.choices)
    table = models.CharField("表", max_length=40)
    key = models.CharField("行键（科目编码或行次）", max_length=30)
    column = models.CharField("栏", max_length=40)
    figures = models.PositiveIntegerField("现行版本数据个数")

    class Meta:
        verbose_name = "公开数据计数"
        verbose_name_plural = "公开数据计数"
        # Year and region first: a count is asked for one region's year (api.queries); the key
        # last but one so that a code prefix is a range of the index.
        constraints = [
            models.UniqueConstraint(fields=["year", "region", "table", "column", "key", "kind"], name="listing_cell_unique_key")
        ]

    def __str__(self):
        return f"{self.year} {self.region} {self.kind} {self.table}/{self.key}/{self.column}: {self.figures}"


def upload_path(version: "Version", filename: str) -> str:
    suffix = ".pdf" if version.origin == Version.Origin.PUBLISHED_PDF else ".xlsx"
    return f"uploads/{version.disclosure.year.year}/{version.disclosure_id}/v{version.number}-{version.source_sha256[:12]}{suffix}"


def pdf_path(version: "Version", filename: str) -> str:
    return f"pdf/{version.disclosure.year.year}/{version.disclosure_id}/v{version.number}.pdf"


class Version(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已提交"
        RETURNED = "returned", "退回"
        APPROVED = "approved", "审核通过"
        # Publication decided; the PDF and the download files are being generated by the
        # worker (services.publication), and the version becomes PUBLISHED once they are stored.
        PUBLISHING = "publishing", "公开中（生成文件）"
        PUBLISHED = "published", "已公开"
        DISCARDED = "discarded", "已作废"

    class Origin(models.TextChoices):
        UPLOAD = "upload", "上传工作簿"
        # A version published before the portal, read from its PDF (services.pdf_history):
        # published from the start, never edited; a later correction is a new version.
        PUBLISHED_PDF = "published_pdf", "根据已公开 PDF 导入"

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="versions", verbose_name="决算公开")
    number = models.PositiveIntegerField("版本号")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    table_set = models.CharField("公开表格式", max_length=20)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="上传人"
    )
    source_file = models.FileField("上传的工作簿", upload_to=upload_path)
    source_name = models.CharField("原文件名", max_length=255)
    source_sha256 = models.CharField("文件SHA-256", max_length=64)
    source_size = models.PositiveIntegerField("文件大小（字节）")
    correction_note = models.TextField(
        "更正说明", blank=True, help_text="更正已公开的决算时填写：更正了什么、为什么。公开后向社会展示。"
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="提交人"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="审核人"
    )
    publish_at = models.DateTimeField("定时公开时间", null=True, blank=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    pdf = models.FileField("公开PDF", upload_to=pdf_path, blank=True, editable=False)
    pdf_sha256 = models.CharField("PDF SHA-256", max_length=64, blank=True, editable=False)
    summary = models.JSONField(
        "主要数据", default=dict, blank=True, editable=False, help_text="收支总计、基本/项目支出、三公等，公开时计算。"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="公开人"
    )
    narrative_sections = models.JSONField(
        "情况说明（公开时定稿）", null=True, blank=True, editable=False,
        help_text="公开时按当时的数据、补充数据和填写内容生成的第三部分，此后不再变化。",
    )
    figure_count = models.PositiveIntegerField(
        "数据个数", default=0, editable=False, help_text="导入时写入：各表数据个数之和。"
    )
    reading = models.JSONField(
        "读取情况", default=list, blank=True, editable=False,
        help_text="导入时写入：每个工作表读作哪张表（本部门的表号和标题）、行数、数据个数、合计，或未读取的原因。",
    )
    quality = models.JSONField(
        "公开质量", null=True, blank=True, editable=False,
        help_text="完整性、细化程度、及时性、一致性、公开方式五个维度的得分和依据（services.quality 计算并写入）。",
    )
    origin = models.CharField("来源", max_length=20, choices=Origin.choices, default=Origin.UPLOAD, editable=False)
    original_published_on = models.DateField(
        "原公开日期", null=True, blank=True, editable=False,
        help_text="根据已公开 PDF 导入的版本：部门当年公开该 PDF 的日期，由导入人填写；公开时间即取此日期。",
    )
    published_parts = models.JSONField(
        "已公开文本（按部分）", null=True, blank=True, editable=False,
        help_text="根据已公开 PDF 导入的版本：PDF 的文字按第一至第五部分拆分，原样保存。",
    )
    files_done = models.PositiveSmallIntegerField("已生成文件数", default=0, editable=False)
    files_total = models.PositiveSmallIntegerField("应生成文件数", default=0, editable=False)
    files_attempts = models.PositiveSmallIntegerField("文件生成尝试次数", default=0, editable=False)
    files_error = models.TextField("文件生成失败原因", blank=True, editable=False)

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = "版本"
        verbose_name_plural = "版本"
        ordering = ["disclosure", "-number"]
        # The newest published version in one index lookup, for the public cache's stamp
        # (caching._stamp_of), read on every uncached public request.
        indexes = [models.Index(fields=["id"], name="version_published_id", condition=Q(status="published"))]
        constraints = [
            models.UniqueConstraint(fields=["disclosure", "number"], name="version_unique_number"),
            models.UniqueConstraint(
                fields=["disclosure"],
                condition=models.Q(status__in=["submitted", "approved", "publishing"]),
                name="version_one_under_review",
                violation_error_message="同一决算公开同时只能有一个版本在审核中。",
            ),
            models.UniqueConstraint(
                fields=["source_sha256"],
                condition=models.Q(origin="published_pdf"),
                name="version_pdf_imported_once",
                violation_error_message="这份 PDF 已经导入过。",
            ),
        ]

    def __str__(self):
        return f"{self.disclosure} 第{self.number}版"


# A version in review, from submission until it is public (one per disclosure at a time).
UNDER_REVIEW = (Version.Status.SUBMITTED, Version.Status.APPROVED, Version.Status.PUBLISHING)


class SheetMapping(models.Model):
    """What a department said a sheet of its workbooks is, applied to its later uploads."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="sheet_mappings", verbose_name="部门")
    sheet_name = models.CharField("工作表名称", max_length=100)
    table = models.CharField("读作", max_length=40, blank=True, help_text="公开表的内部键；留空表示不是公开表。")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="指定人"
    )
    created_at = models.DateTimeField("指定时间", auto_now=True)

    class Meta:
        verbose_name = "工作表对应"
        verbose_name_plural = "工作表对应"
        constraints = [models.UniqueConstraint(fields=["department", "sheet_name"], name="sheet_mapping_unique_sheet")]

    def __str__(self):
        return f"{self.department} · {self.sheet_name}"
