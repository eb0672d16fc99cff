"""The public site: published versions only (access.public_disclosures / access.versions),
GET only. Pages of published versions are cached: a published version never changes,
and the cache key names the disclosure's current version, so publishing a correction
is what invalidates them."""

from __future__ import annotations

from decimal import Decimal

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from .. import access, caching
from ..exporting.tables_csv import table_csv
from ..exporting.xlsx import workbook_bytes
from ..filters import DisclosureFilter
from ..models import Department, Disclosure, Region, Version
from ..rendering.charts import ChartRow, bars
from ..rendering.lists import CompareTable, DisclosureTable
from ..rendering.page import disclosure_content
from ..selectors import disclosure_facets, version_dataset
from ..services.pdfs import pdf_filename
from ..selectors import table_set as table_set_of
from ..specs import template_specs
from ..specs.key_figures import KEY_LABELS

Status = Version.Status
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def home(request):
    disclosures = access.public_disclosures()
    filtered = DisclosureFilter(request.GET or None, queryset=disclosures)
    table = DisclosureTable(filtered.qs)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    years, regions = disclosure_facets(disclosures)
    return render(
        request,
        "public/home.html",
        {
            "filter": filtered,
            "table": table,
            "latest": disclosures.order_by("-current_version__published_at")[:8],
            "years": years,
            "regions": regions,
        },
    )


def _history(request, pk: int):
    history = list(access.versions(request.user).filter(status=Status.PUBLISHED, disclosure_id=pk).order_by("-number"))
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
    current_id = caching.current_version_id(pk)
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
        cache.set(caching.page_key(pk, number, current_id), response.content, caching.CACHE_SECONDS)
    return response


def _disclosure_context(shown: Version, current: Version, history: list[Version]) -> dict:
    return {**disclosure_content(shown), "is_current": shown.pk == current.pk, "current": current, "history": history}


def _download(data, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _file_stem(version: Version) -> str:
    d = version.disclosure
    return f"{d.year.year}年度{d.entity_name}{d.get_kind_display()}-第{version.number}版"


@require_GET
def download_workbook(request, pk: int, number: int):
    """The whole version as one workbook, regenerated from the stored figures."""
    version = _shown(_history(request, pk), number)
    dataset = version_dataset(version)
    table_set = table_set_of(version.table_set)
    specs = template_specs(table_set, dataset.year)
    specs += [t.spec for t in dataset.tables.values() if t.spec not in specs]
    data = workbook_bytes(dataset, table_set, specs, version.disclosure.entity_name)
    return _download(data, XLSX, f"{_file_stem(version)}.xlsx")


@require_GET
def download_table(request, pk: int, number: int, table: str, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404("只提供 .xlsx 和 .csv 下载。")
    version = _shown(_history(request, pk), number)
    dataset = version_dataset(version)
    if table not in dataset.tables:
        raise Http404("该版本没有这张表。")
    data_table = dataset.tables[table]
    table_set = table_set_of(version.table_set)
    name = f"{_file_stem(version)}-{dataset.label_of(data_table.spec.family)}{data_table.title}"
    if fmt == "csv":
        return _download(table_csv(data_table.printed_spec, data_table).encode("utf-8"), "text/csv; charset=utf-8", f"{name}.csv")
    data = workbook_bytes(dataset, table_set, [data_table.spec], version.disclosure.entity_name)
    return _download(data, XLSX, f"{name}.xlsx")


@require_GET
def download_pdf(request, pk: int, number: int):
    """The PDF stored at publication (never re-rendered on a request)."""
    version = _shown(_history(request, pk), number)
    if not version.pdf:
        raise Http404("该版本的 PDF 尚未生成。")
    if not version.pdf.storage.exists(version.pdf.name):
        raise Http404("该版本的 PDF 文件缺失，请联系管理员重新生成。")
    try:
        path = version.pdf.path
    except NotImplementedError:  # object storage: no local path, stream from the storage
        return caching.pdf_response(version.pdf.open("rb"), version.pdf_sha256, pdf_filename(version), request.headers.get("If-None-Match"))
    stored = (path, version.pdf_sha256, pdf_filename(version))
    if not request.user.is_authenticated:
        cache.set(caching.pdf_key(pk, number), stored, caching.CACHE_SECONDS)
    return caching.pdf_response(*stored, request.headers.get("If-None-Match"))


TREND_KEYS = ("income_grand", "expense_grand", "basic", "project", "three_public")


@require_GET
def department(request, pk: int):
    department = get_object_or_404(Department.objects.select_related("region"), pk=pk)
    disclosures = list(access.public_disclosures().filter(department=department).order_by("year__year", "kind", "unit__name"))
    if not disclosures:
        raise Http404("该部门还没有已公开的决算。")
    own = [d for d in disclosures if d.kind == Disclosure.Kind.DEPARTMENT] or disclosures
    trend = []
    for d in own:
        summary = d.current_version.summary
        trend.append({"disclosure": d, "year": d.year.year, **{k: _decimal(summary.get(k)) for k in TREND_KEYS}})
    charts = [
        bars(
            f"trend-{key}",
            f"{KEY_LABELS[key]}（历年）",
            [ChartRow(KEY_LABELS[key], row[key], group=f"{row['year']}年度") for row in trend if row[key] is not None],
            series=tuple(f"{row['year']}年度" for row in trend if row[key] is not None),
        )
        for key in ("income_grand", "expense_grand", "three_public")
    ]
    basic_project = bars(
        "trend-basic-project",
        "基本支出与项目支出（历年）",
        [ChartRow(f"{row['year']}年度", row[k], group=KEY_LABELS[k]) for row in trend for k in ("basic", "project") if row[k] is not None],
        series=(KEY_LABELS["basic"], KEY_LABELS["project"]),
    )
    return render(
        request,
        "public/department.html",
        {"department": department, "disclosures": disclosures, "trend": trend, "charts": [*charts, basic_project], "labels": KEY_LABELS},
    )


def _decimal(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


def _share(part, whole) -> Decimal | None:
    if part is None or not whole:
        return None
    return (part * 100 / whole).quantize(Decimal("0.01"))


@require_GET
def compare(request):
    regions = Region.objects.order_by("code")
    years = list(access.public_disclosures().order_by("-year__year").values_list("year__year", flat=True).distinct())
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else (years[0] if years else None)
    published = access.public_disclosures().filter(year__year=year, kind=Disclosure.Kind.DEPARTMENT)
    code = request.GET.get("region")
    region = (
        (code and regions.filter(code=code).first())
        # Without a choice, the first region with something to compare that year.
        or regions.filter(pk__in=published.values("department__region")).first()
        or regions.first()
    )
    rows = []
    disclosures = published.filter(department__region=region)
    for d in disclosures:
        s = {k: _decimal(v) for k, v in d.current_version.summary.items()}
        spent = (s.get("basic") or 0) + (s.get("project") or 0)
        rows.append(
            {
                "pk": d.pk,
                "entity": d.entity_name,
                **{k: s.get(k) for k in ("income_grand", "expense_grand", "fiscal_income", "basic", "project", "three_public")},
                "basic_share": _share(s.get("basic"), spent),
                "project_share": _share(s.get("project"), spent),
                "operating": None,
            }
        )
    table = CompareTable(rows)
    RequestConfig(request, paginate=False).configure(table)
    totals = {
        k: sum((row[k] for row in rows if row[k] is not None), Decimal(0))
        for k in ("income_grand", "expense_grand", "fiscal_income", "basic", "project", "three_public")
    }
    spent = totals["basic"] + totals["project"]
    totals.update(basic_share=_share(totals["basic"], spent), project_share=_share(totals["project"], spent))
    return render(
        request,
        "public/compare.html",
        {"table": table, "regions": regions, "region": region, "years": years, "year": year, "totals": totals, "count": len(rows)},
    )
