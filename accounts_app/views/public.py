"""The public site: published versions only (the models' `published()`, within what the
user's scope reads), GET only. For anonymous readers it is served from the cache where it
can be (accounts_app/caching.py): the disclosure pages, filled here (a published version
never changes, and the key names the disclosure's current version, so publishing a
correction is what invalidates them); the stored downloads, remembered here; the lists,
stored by the cache middleware itself under the stamp of the publications."""

from __future__ import annotations

import copy

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig
from django_tables2.utils import OrderByTuple

from .. import access, caching
from ..filters import DisclosureFilter
from ..models import Department, Disclosure, Region, Version
from ..rendering.charts import ChartRow, bars
from ..rendering.compare import amount, compare_rows
from ..rendering.lists import CompareTable, DisclosureTable
from ..selectors import (
    Counted,
    compare_first_region,
    compare_page,
    compare_totals,
    compare_years,
    count_cap,
    disclosures_listed,
    listed_count,
    listing_facets,
)
from ..services import downloads
from ..services.pages import disclosure_content
from ..services.pdfs import pdf_filename
from ..specs.key_figures import EXPENSE_PARTS, KEY_LABELS, TRENDS

# The list's columns sort by the listing columns, each order one index of models.disclosure
# (scanned forwards or backwards), never by the joined tables.
# Each order ends in the index's own tie-breakers down to the id, so that pages never overlap
# (two disclosures of one region would otherwise come in any order, page after page).
LISTING_SORT = {
    "year": ("listed_year", "-listed_region", "-listed_department", "-listed_unit", "-id"),
    "region": ("listed_region", "-listed_year", "listed_department", "listed_unit", "id"),
    "entity": ("listed_department", "listed_unit", "id"),
    "kind": ("kind", "-listed_year", "listed_region", "listed_department", "listed_unit", "id"),
    "published": ("listed_at", "id"),
}
PER_PAGE, MAX_PER_PAGE = 25, 100


class BoundedPaginator(Paginator):
    """Pages of a list whose count is known already (kept, or counted up to the cap: never
    counted again), none past the cap: page 400 of 25 reads at most 10,000 index entries."""

    def __init__(self, object_list, per_page, *, counted: Counted, **kwargs):
        super().__init__(object_list, min(max(int(per_page), 1), MAX_PER_PAGE), **kwargs)
        self.counted = counted

    @cached_property
    def count(self) -> int:
        return min(self.counted.value, count_cap())


def _listing_columns():
    for name, order_by in LISTING_SORT.items():
        column = copy.deepcopy(DisclosureTable.base_columns[name])
        column.order_by = OrderByTuple(order_by)
        yield name, column


def _one_sort(params: QueryDict) -> QueryDict:
    """At most one sort (the first): two columns at once would need a sort of every match."""
    sort = params.get("sort", "").split(",")[0]
    if params.getlist("sort") == [sort]:
        return params
    params = params.copy()
    params.setlist("sort", [sort] if sort else [])
    return params


@require_GET
def home(request):
    filtered = DisclosureFilter(request.GET or None, queryset=Disclosure.objects.none())
    chosen = filtered.listing()
    disclosures = disclosures_listed(**chosen, region_names=True)
    counted = listed_count(disclosures, **chosen)
    table = DisclosureTable(disclosures, extra_columns=list(_listing_columns()))
    request.GET = _one_sort(request.GET)
    RequestConfig(request, paginate={"per_page": PER_PAGE, "paginator_class": BoundedPaginator, "counted": counted}).configure(table)
    years, regions = listing_facets()
    return render(
        request,
        "public/home.html",
        {
            "filter": filtered,
            "table": table,
            "counted": counted,
            "capped": counted.value > count_cap() or not counted.exact,
            "cap": f"{count_cap():,}",
            "latest": disclosures_listed().order_by("-listed_at", "-id")[:8],
            "years": years,
            "regions": regions,
        },
    )


def _history(request, pk: int):
    readable = Version.objects.visible_to(access.scope_of(request.user)).published()
    history = list(readable.filter(disclosure_id=pk).order_by("-number"))
    if not history:
        raise Http404("没有已公开的版本。")
    return history


def _shown(history, number):
    if number is None:
        return history[0]
    for version in history:
        if version.number == number:
            return version
    raise Http404("没有这个已公开的版本。")


@require_GET
def disclosure(request, pk: int, number: int | None = None):
    """The disclosure page, cached (see accounts_app/caching.py): the body for everyone,
    the whole page for anonymous readers, which PublishedPageCacheMiddleware then serves."""
    current_id, generation_now = caching.current_version_id(pk), caching.generation()  # before the data is read
    if current_id is None:
        raise Http404("没有已公开的版本。")
    history = _history(request, pk)
    current, shown = history[0], _shown(history, number)
    body_key = caching.body_key(shown.pk, current.pk)
    body = cache.get(body_key)
    if body is None:
        body = render_to_string("public/disclosure_body.html", _disclosure_context(shown, current, history))
        cache.set(body_key, body, caching.CACHE_SECONDS)
    response = render(request, "public/disclosure.html", {"disclosure": shown.disclosure, "version": shown, "body": body})
    if not request.user.is_authenticated:
        cache.set(caching.page_key(pk, number, current_id, generation_now), response.content, caching.CACHE_SECONDS)
    return response


def _disclosure_context(shown: Version, current: Version, history: list[Version]) -> dict:
    return {**disclosure_content(shown), "is_current": shown.pk == current.pk, "current": current, "history": history}


@require_GET
def download_workbook(request, pk: int, number: int):
    """The whole version as one workbook, as stored at publication (services.publication)."""
    version = _shown(_history(request, pk), number)
    stored = downloads.stored_file(version, downloads.WORKBOOK)
    return _stored(request, stored) if stored else downloads.version_workbook(version=version).response()


@require_GET
def download_table(request, pk: int, number: int, table: str, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404("只提供 .xlsx 和 .csv 下载。")
    version = _shown(_history(request, pk), number)
    stored = downloads.stored_file(version, f"{table}.{fmt}")
    if stored:
        return _stored(request, stored)
    found = downloads.version_table(version=version, table=table, fmt=fmt)  # published before files were stored
    if found is None:
        raise Http404("该版本没有这张表。")
    return found.response()


def _stored(request, stored):
    if not stored.file.storage.exists(stored.file.name):
        raise Http404("该文件缺失，请联系管理员重新生成。")
    return _file(request, stored.file, stored.sha256, stored.filename, stored.content_type)


def _file(request, file, sha256: str, filename: str, content_type: str):
    """A stored file of a version; for an anonymous reader (who reaches published versions
    only) remembered by PublishedPageCacheMiddleware, which sends it from then on."""
    try:
        source = file.path
    except NotImplementedError:  # object storage: no local path, stream from the storage
        source = file.open("rb")
    else:
        if not request.user.is_authenticated:
            caching.remember_file(request, source, sha256, filename, content_type)
    return caching.file_response(source, sha256, filename, content_type, request.headers.get("If-None-Match"))


@require_GET
def download_pdf(request, pk: int, number: int):
    """The PDF stored at publication (never re-rendered on a request)."""
    version = _shown(_history(request, pk), number)
    if not version.pdf:
        raise Http404("该版本的 PDF 尚未生成。")
    if not version.pdf.storage.exists(version.pdf.name):
        raise Http404("该版本的 PDF 文件缺失，请联系管理员重新生成。")
    return _file(request, version.pdf, version.pdf_sha256, pdf_filename(version), "application/pdf")


@require_GET
def department(request, pk: int):
    department = get_object_or_404(Department.objects.select_related("region"), pk=pk)
    disclosures = list(Disclosure.objects.published().filter(department=department).order_by("year__year", "kind", "unit__name"))
    if not disclosures:
        raise Http404("该部门还没有已公开的决算。")
    own = [d for d in disclosures if d.kind == Disclosure.Kind.DEPARTMENT] or disclosures
    trend = []
    for d in own:
        summary = d.current_version.summary
        trend.append({"disclosure": d, "year": d.year.year, **{k: amount(summary.get(k)) for k in (*TRENDS, *EXPENSE_PARTS)}})
    charts = [
        bars(
            f"trend-{key}",
            f"{KEY_LABELS[key]}（历年）",
            [ChartRow(KEY_LABELS[key], row[key], group=f"{row['year']}年度") for row in trend if row[key] is not None],
            series=tuple(f"{row['year']}年度" for row in trend if row[key] is not None),
        )
        for key in TRENDS
    ]
    basic_project = bars(
        "trend-basic-project",
        "与".join(KEY_LABELS[k] for k in EXPENSE_PARTS) + "（历年）",
        [ChartRow(f"{row['year']}年度", row[k], group=KEY_LABELS[k]) for row in trend for k in EXPENSE_PARTS if row[k] is not None],
        series=tuple(KEY_LABELS[k] for k in EXPENSE_PARTS),
    )
    return render(
        request,
        "public/department.html",
        {"department": department, "disclosures": disclosures, "trend": trend, "charts": [*charts, basic_project], "labels": KEY_LABELS},
    )


COMPARE_PER_PAGE = 50


@require_GET
def compare(request):
    """One region's departments in one year, a page at a time, sorted by the database; the
    totals over all of them summed by it too (selectors.compare_totals)."""
    regions = Region.objects.order_by("code")
    years = compare_years()
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else (years[0] if years else None)
    code = request.GET.get("region")
    region = (
        (code and regions.filter(code=code).first())
        # Without a choice, the first region with something to compare that year.
        or regions.filter(code=compare_first_region(year)).first()
        or regions.first()
    )
    chosen = {"year": year, "region": region.code if region else "", "kind": Disclosure.Kind.DEPARTMENT}
    disclosures = disclosures_listed(**chosen)
    count = listed_count(disclosures, **chosen).value if region and year else 0
    pages = max(1, -(-count // COMPARE_PER_PAGE))
    number = min(int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1, pages) or 1
    sort = request.GET.get("sort") or "-expense_grand"
    entries = compare_page(disclosures, sort=sort, offset=(number - 1) * COMPARE_PER_PAGE, limit=COMPARE_PER_PAGE)
    rows, _ = compare_rows(entries)
    table = CompareTable(rows)
    request.GET = _one_sort(request.GET)
    RequestConfig(request, paginate=False).configure(table)  # sorts this page as the database did
    return render(
        request,
        "public/compare.html",
        {
            "table": table, "regions": regions, "region": region, "years": years, "year": year,
            "totals": compare_totals(year=year, region=chosen["region"]), "count": count,
            "page": {"number": number, "pages": pages, "previous": number - 1, "next": number + 1 if number < pages else 0},
        },
    )
