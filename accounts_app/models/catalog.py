"""The code catalogs: 支出功能分类科目 (类/款/项) and 部门支出经济分类科目 (类/款), per year.

Loaded from the reference files in accounts_app/data by `manage.py load_catalogs`;
admins may add or correct codes. Figures are keyed by code, never by name.
"""

from django.db import models

from .organisation import FiscalYear

FUNCTION_LEVELS = {3: 1, 5: 2, 7: 3}
ECONOMIC_LEVELS = {3: 1, 5: 2}


class SubjectQuerySet(models.QuerySet):
    def for_year(self, year: int):
        """The catalog in force for `year`: its own entries, or the nearest earlier year's."""
        edition = (
            self.filter(year__year__lte=year).order_by("-year__year").values_list("year__year", flat=True).first()
        )
        if edition is None:
            edition = self.order_by("year__year").values_list("year__year", flat=True).first()
        return self.filter(year__year=edition)


class Subject(models.Model):
    year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, verbose_name="年度")
    code = models.CharField("科目编码", max_length=7)
    name = models.CharField("科目名称", max_length=100)
    level = models.PositiveSmallIntegerField("级次", editable=False)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, verbose_name="上级科目", editable=False)

    objects = SubjectQuerySet.as_manager()
    LEVELS: dict[int, int] = {}

    class Meta:
        abstract = True
        ordering = ["year", "code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        self.level = self.LEVELS[len(self.code)]
        parent_code = self.code[:-2] if self.level > 1 else None
        self.parent = type(self).objects.filter(year=self.year, code=parent_code).first() if parent_code else None
        super().save(*args, **kwargs)

    def clean(self):
        from django.core.exceptions import ValidationError

        if not self.code.isdigit() or len(self.code) not in self.LEVELS:
            lengths = "、".join(str(n) for n in self.LEVELS)
            raise ValidationError({"code": f"科目编码应为 {lengths} 位数字。"})


class FunctionSubject(Subject):
    description = models.TextField("科目说明", blank=True, help_text="财政部《政府收支分类科目》中的说明，用于名词解释。")
    summary_line = models.PositiveSmallIntegerField(
        "收支总表行次", null=True, blank=True, help_text="该类在收支总表中的行次（仅类级科目）。"
    )
    LEVELS = FUNCTION_LEVELS

    class Meta(Subject.Meta):
        verbose_name = "支出功能分类科目"
        verbose_name_plural = "支出功能分类科目"
        constraints = [models.UniqueConstraint(fields=["year", "code"], name="function_subject_unique_code")]


class EconomicSubject(Subject):
    LEVELS = ECONOMIC_LEVELS

    class Meta(Subject.Meta):
        verbose_name = "部门支出经济分类科目"
        verbose_name_plural = "部门支出经济分类科目"
        constraints = [models.UniqueConstraint(fields=["year", "code"], name="economic_subject_unique_code")]
