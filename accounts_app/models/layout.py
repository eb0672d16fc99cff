"""A region's table set as data: which tables it publishes, in which order, under which
number and title. The specs (accounts_app.specs) say what each table is; this says how a
region prints the set, and administrators edit it in the admin."""

from django.core.exceptions import ValidationError
from django.db import models

from ..specs import specs_for_year
from ..specs.outline import DEFAULT_OUTLINE, OUTLINE_NAMES
from ..specs.classification import catalog_years


def _specs():
    return specs_for_year(catalog_years()[-1]).values()


def family_choices() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for spec in _specs():
        seen.setdefault(spec.family, spec.title)
    return list(seen.items())


def form_choices() -> list[tuple[str, str]]:
    return [(spec.key, f"{spec.title}（{spec.form}）" if spec.form else spec.title) for spec in _specs()]


class TableLayout(models.Model):
    key = models.SlugField("代码", max_length=20, unique=True, help_text="行政区划的“公开表格式”引用此代码。")
    name = models.CharField("名称", max_length=100)
    label_format = models.CharField(
        "表号格式",
        max_length=40,
        default="公开{number:02d}表",
        help_text="{number} 为序号（1、2…），{cn} 为中文序号（一、二…）。例如：公开{number:02d}表、表{number}、表{cn}。",
    )
    outline = models.CharField(
        "情况说明的章节", max_length=20, choices=list(OUTLINE_NAMES.items()), default=DEFAULT_OUTLINE,
        help_text="第三部分情况说明按哪种章节顺序起草（各节的标题和编号）。",
    )
    line_numbers = models.BooleanField("印行次、栏次", default=True, help_text="本地区的表印有行次和栏次（新版全国格式不印）。")
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "公开表格式"
        verbose_name_plural = "公开表格式"
        ordering = ["key"]

    def __str__(self):
        return self.name

    def clean(self):
        try:
            self.label_format.format(number=1, cn="一")
        except (KeyError, IndexError, ValueError):
            raise ValidationError({"label_format": "表号格式只能使用 {number} 或 {cn}，例如“公开{number:02d}表”“表{cn}”。"}) from None


class TableLayoutEntry(models.Model):
    layout = models.ForeignKey(TableLayout, on_delete=models.CASCADE, related_name="entries", verbose_name="公开表格式")
    position = models.PositiveSmallIntegerField("序号")
    family = models.CharField("公开表", max_length=40, choices=family_choices)
    form = models.CharField(
        "表式", max_length=40, blank=True, choices=form_choices, help_text="空白模板用的表式；留空用标准表式。导入时各种表式都能识别。"
    )
    label = models.CharField("表号", max_length=30, blank=True, help_text="留空则按表号格式和序号生成。")
    title = models.CharField("标题", max_length=200, blank=True, help_text="本地区打印的标题；留空用标准标题。")

    class Meta:
        verbose_name = "公开表"
        verbose_name_plural = "公开表（按本地区的顺序）"
        ordering = ["layout", "position"]
        constraints = [
            models.UniqueConstraint(fields=["layout", "family"], name="table_layout_entry_unique_family"),
            models.UniqueConstraint(fields=["layout", "position"], name="table_layout_entry_unique_position"),
        ]

    def __str__(self):
        return f"{self.layout} · {self.position}"

    def clean(self):
        if self.form:
            spec = next((s for s in _specs() if s.key == self.form), None)
            if spec is not None and spec.family != self.family:
                raise ValidationError({"form": "所选表式不是这张公开表的表式。"})
