"""Who publishes: regions (with their finance bureau), departments and their units; and
which departments a user's scope covers, the rule every scoped queryset filters by.

A scope is access.Scope (the user's role and organisation, from access.scope_of). The
models sit below access, so their queryset methods take the scope, not the user."""

from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q

from ..specs import DEFAULT_TABLE_SET


class Region(models.Model):
    code = models.CharField("行政区划代码", max_length=12, unique=True)
    name = models.CharField("行政区划", max_length=100)
    province = models.CharField("所属省份", max_length=50, blank=True)
    finance_bureau = models.CharField("财政部门", max_length=100)
    table_set = models.CharField(
        "公开表格式",
        max_length=20,
        default=DEFAULT_TABLE_SET,
        help_text="本地区公开的表、顺序、表号和标题（见“公开表格式”）；决算表按标题和表头识别，不依赖编号。",
    )

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self):
        return self.name


# A scope's organisation: (the scope's field, the department's field that must equal it).
# A 填报人's scope names a department, a 审核人's a region; a 管理员's covers all.
ORGANISATION = (("department_id", "pk"), ("region_id", "region_id"))


def _organisation(scope) -> tuple[str, int] | None:
    """(department field, value) of a scope that covers some departments; None: none."""
    for own, field in ORGANISATION:
        value = getattr(scope, own)
        if value is not None:
            return field, value
    return None


def covered(scope, department: str = "") -> Q | None:
    """A filter on the rows whose department the scope covers, `department` being the
    lookup path from the rows to it ("" for departments themselves); None: all rows."""
    if scope.is_admin:
        return None
    organisation = _organisation(scope)
    if organisation is None:
        return Q(pk__in=[])
    field, value = organisation
    return Q(**{"__".join(filter(None, (department, field))): value})


def covers(scope, department: "Department") -> bool:
    """`covered` for one department in hand."""
    if scope.is_admin:
        return True
    organisation = _organisation(scope)
    return organisation is not None and getattr(department, organisation[0]) == organisation[1]


def covering(department: "Department", membership: str) -> Q:
    """The other way round: a filter on the memberships (at the lookup path `membership`)
    whose department or region is the department's. 管理员, who cover all, are not named."""
    return reduce(or_, (Q(**{f"{membership}__{own}": getattr(department, field)}) for own, field in ORGANISATION))


class DepartmentQuerySet(models.QuerySet):
    def workable_by(self, scope) -> "DepartmentQuerySet":
        """The departments a scope works for (its own, its region's, or all), with their region."""
        condition = covered(scope)
        departments = self.select_related("region")
        return departments if condition is None else departments.filter(condition)


class Department(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departments", verbose_name="行政区划")
    name = models.CharField("部门名称", max_length=200)
    code = models.CharField("部门编码", max_length=30, blank=True)
    first_year = models.PositiveSmallIntegerField(
        "自哪一年度起公开", null=True, blank=True, help_text="新设立的部门填写其第一个决算年度；留空表示历年都应公开。"
    )
    last_year = models.PositiveSmallIntegerField(
        "公开至哪一年度", null=True, blank=True, help_text="撤销、合并的部门填写其最后一个决算年度；留空表示仍应公开。"
    )

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["region__code", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="department_unique_name_in_region")]

    def __str__(self):
        return self.name


class Unit(models.Model):
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="units", verbose_name="部门")
    name = models.CharField("单位名称", max_length=200)
    is_main = models.BooleanField("本级", default=False, help_text="部门机关本级；其余为下属单位。")
    first_year = models.PositiveSmallIntegerField(
        "自哪一年度起公开", null=True, blank=True, help_text="新设立的单位填写其第一个决算年度；留空表示历年都应公开。"
    )
    last_year = models.PositiveSmallIntegerField(
        "公开至哪一年度", null=True, blank=True, help_text="撤销、合并的单位填写其最后一个决算年度；留空表示仍应公开。"
    )

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["department", "-is_main", "name"]
        constraints = [models.UniqueConstraint(fields=["department", "name"], name="unit_unique_name_in_department")]

    def __str__(self):
        return f"{self.name}（本级）" if self.is_main else self.name


class FiscalYear(models.Model):
    year = models.PositiveSmallIntegerField("年度", unique=True)

    class Meta:
        verbose_name = "财政年度"
        verbose_name_plural = "财政年度"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年度"


def expected_in(year: int, first_year: int | None, last_year: int | None) -> bool:
    """Whether an organisation existing from `first_year` to `last_year` (None: open) publishes for `year`."""
    return (first_year is None or first_year <= year) and (last_year is None or year <= last_year)
