"""manage.py import_published_pdfs: a folder of a region's PDFs, each matched to its
department and year by its cover, the unmatched and the refused listed, a progress bar, a
summary table and a CSV report; a second run changes nothing."""

from __future__ import annotations

import csv
import shutil

import pytest
from django.core.management import call_command

from accounts_app.models import AuditEntry, Version

from . import hostile
from .conftest import SHANGHAI_PDF

pytestmark = pytest.mark.django_db


def _run(folder, report, *extra):
    try:
        call_command("import_published_pdfs", str(folder), "--region", "310107", "--report", str(report), *extra)
    except SystemExit as exit:
        return exit.code
    return 0


def _report(path) -> list[dict]:
    with path.open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_a_folder_imports_matched_and_lists_the_rest(putuo, tmp_path, capsys):
    folder = tmp_path / "pdfs"
    folder.mkdir()
    shutil.copy(SHANGHAI_PDF, folder / "普陀区社工部2024年度部门决算.pdf")
    (folder / "扫描件.pdf").write_bytes(hostile.scanned())
    (folder / "通知.pdf").write_bytes(hostile.something_else())
    dates = tmp_path / "dates.csv"
    dates.write_text("文件名,原公开日期\n普陀区社工部2024年度部门决算.pdf,2025-09-16\n", encoding="utf-8")
    report = tmp_path / "report.csv"

    assert _run(folder, report, "--dates", str(dates), "--published-on", "2025-10-01") == 1
    rows = {row["文件"]: row for row in _report(report)}
    shanghai = rows["普陀区社工部2024年度部门决算.pdf"]
    assert shanghai["结果"] == "已导入" and shanghai["年度"] == "2024" and shanghai["数据个数"] == "205"
    assert "中共上海市普陀区委社会工作部" in shanghai["决算"] and len(shanghai["SHA-256"]) == 64
    assert rows["扫描件.pdf"]["结果"] == "已拒绝" and "扫描" in rows["扫描件.pdf"]["说明"]
    assert rows["通知.pdf"]["结果"] == "已拒绝" and "没有找到任何公开表" in rows["通知.pdf"]["说明"]
    version = Version.objects.get()
    assert str(version.original_published_on) == "2025-09-16"  # from --dates, over --published-on
    out = capsys.readouterr()
    assert "导入结果" in out.out and "已导入 1 个" in out.out

    assert _run(folder, report, "--dates", str(dates), "--published-on", "2025-10-01") == 1  # again: nothing changes
    rows = {row["文件"]: row for row in _report(report)}
    assert rows["普陀区社工部2024年度部门决算.pdf"]["结果"] == "已导入过（未改变）"
    assert Version.objects.count() == 1 and AuditEntry.objects.count() == 1


def test_an_unknown_department_is_listed_as_unmatched(catalogs, tmp_path):
    from accounts_app.services.organisations import SEED_REGIONS, region_ensure

    region_ensure(info=SEED_REGIONS["上海市普陀区"])  # the department is not registered
    report = tmp_path / "report.csv"
    assert _run(SHANGHAI_PDF, report, "--published-on", "2025-09-16") == 1
    (row,) = _report(report)
    assert row["结果"] == "未匹配" and "都不相符" in row["说明"]
    assert not Version.objects.exists()


def test_a_pdf_without_a_date_is_skipped(putuo, tmp_path):
    report = tmp_path / "report.csv"
    assert _run(SHANGHAI_PDF, report) == 1
    (row,) = _report(report)
    assert row["结果"] == "已跳过" and "未提供原公开日期" in row["说明"]
