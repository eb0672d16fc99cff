"""The public timeliness and quality board (GET only): the page, sortable and filterable, and the
same rows as CSV (UTF-8 with BOM, cells that a spreadsheet would read as a formula defused:
exporting.cells, as every download)."""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from ..exporting.cells import csv_text
from ..models import Disclosure
from ..rendering.board import BoardTable, board_values
from ..services.board import STATUS_FILTERS, board_choice, board_rows

PER_PAGE = 50


class BoardForm(forms.Form):
    """The filters besides region and year (those are chosen by services.board.board_choice)."""

    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型"), *Disclosure.Kind.choices])
    status = forms.ChoiceField(
        label="公开情况", required=False, choices=[("", "全部"), *((key, label) for key, (label, _) in STATUS_FILTERS.items())]
    )
    q = forms.CharField(label="部门或单位", required=False, max_length=100)


def _board(request):
    """(choice, form, filters) of the request: its region and year, and the filters shown."""
    choice = board_choice(region_code=request.GET.get("region", ""), year=request.GET.get("year", ""))
    form = BoardForm(request.GET or None)
    cleaned = form.cleaned_data if form.is_valid() else {}
    return choice, form, {name: cleaned.get(name, "") for name in ("kind", "status", "q")}


@require_GET
def board(request):
    choice, form, filters = _board(request)
    rows = None
    if choice.region and choice.year:
        number = request.GET.get("page", "")  # the page to be shown (the paginator checks it)
        page = ((int(number) - 1) * PER_PAGE if number.isdigit() and int(number) > 0 else 0, PER_PAGE)
        rows = board_rows(region=choice.region, year=choice.year, year_id=choice.year_id, page=page, **filters)
    table = BoardTable([] if rows is None else rows)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    # The rows as sorted (table.data.data): their summary was the paginator's count, computed
    # with the page's rows in one statement.
    counts = {"shown": 0} if rows is None else table.data.data.summary()
    return render(
        request,
        "public/board.html",
        {"choice": choice, "form": form, "table": table, "counts": counts, "shown": counts["shown"], "query": request.GET.urlencode()},
    )


@require_GET
def board_csv(request):
    choice, _, filters = _board(request)
    rows = board_rows(region=choice.region, year=choice.year, year_id=choice.year_id, **filters) if choice.region and choice.year else []
    table = BoardTable(rows, order_by=request.GET.get("sort") or None)
    response = HttpResponse(csv_text(board_values(table)), content_type="text/csv; charset=utf-8")
    name = f"board-{choice.region.code}-{choice.year}.csv" if choice.region and choice.year else "board.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
