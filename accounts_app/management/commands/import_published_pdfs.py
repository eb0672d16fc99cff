"""manage.py import_published_pdfs --region 310107 [--published-on 2025-09-16] [--dates 日期.csv] PATH…

For a finance bureau: the region's departments' (and units') published 决算 PDFs of past years,
imported as history (services.pdf_history, as the admin's one-file import does). PATH: PDF files,
or folders searched for *.pdf. Each PDF is matched to its department or unit and year by the
names its cover prints; the unmatched are listed. The date each was published is the
importer's to give: --dates, a CSV of 文件名,原公开日期 (YYYY-MM-DD), else --published-on for
all; a PDF with neither is skipped. A progress bar while importing, then a table of what became
of each file, and the same as CSV (--report, default pdf_import_report.csv). Running it again
changes nothing: a PDF already imported (same SHA-256) is reported as such.

Exit status 0 when every PDF was imported (now or before); 1 otherwise."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from accounts_app.importing.workbook import MAX_FILE_BYTES, human_size
from accounts_app.models import Region
from accounts_app.services.pdf_history import PdfImportOutcome, Result, published_pdf_import

from .import_organisations import _Stream

STYLES = {Result.IMPORTED: "green", Result.ALREADY: "dim", Result.UNMATCHED: "yellow", Result.REFUSED: "red"}
SKIPPED = "skipped"
COLUMNS = ("文件", "结果", "决算", "年度", "版本", "数据个数", "错误", "提示", "说明", "SHA-256")


class Command(BaseCommand):
    help = "将一个行政区划各部门（单位）往年已公开的决算 PDF 导入为已公开的历史版本（根据已公开 PDF 导入）；重复运行不会重复导入。"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="PDF 文件或文件夹（其中的 .pdf 文件）")
        parser.add_argument("--region", required=True, help="行政区划代码，例如 310107")
        parser.add_argument("--published-on", default="", help="原公开日期（YYYY-MM-DD），用于 --dates 中没有列出的文件")
        parser.add_argument("--dates", default="", help="CSV 文件：文件名,原公开日期（YYYY-MM-DD），每个 PDF 一行")
        parser.add_argument("--report", default="pdf_import_report.csv", help="结果报告（CSV）的保存路径")

    def handle(self, *args, paths, region, published_on, dates, report, **options):
        found = Region.objects.filter(code=region).first()
        if found is None:
            raise CommandError(f"没有代码为「{region}」的行政区划：请先在管理后台建立。")
        default = _date(published_on, "--published-on") if published_on else None
        by_name = _dates(Path(dates)) if dates else {}
        files = _pdfs(paths)
        if not files:
            raise CommandError("没有找到 PDF 文件。")
        rows: list[dict] = []
        progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=Console(file=_Stream(self.stderr))
        )
        with progress:
            task = progress.add_task("导入已公开的 PDF", total=len(files))
            for path in files:
                progress.update(task, description=f"导入 {path.name[:30]}")
                rows.append(self._one(found, path, by_name.get(path.name, default)))
                progress.advance(task)
        self._summary(rows, Path(report))
        if any(row["result"] not in (Result.IMPORTED, Result.ALREADY) for row in rows):
            raise SystemExit(1)

    def _one(self, region: Region, path: Path, published_on: date | None) -> dict:
        if published_on is None:
            return _row(path.name, SKIPPED, message="未提供原公开日期（--dates 或 --published-on），未导入。")
        if path.stat().st_size > MAX_FILE_BYTES:
            return _row(path.name, Result.REFUSED, message=f"文件过大（{human_size(path.stat().st_size)}），上限为 {human_size(MAX_FILE_BYTES)}。")
        outcome = published_pdf_import(region=region, data=path.read_bytes(), filename=path.name, published_on=published_on)
        return _row(path.name, outcome.result, outcome)

    def _summary(self, rows: list[dict], report: Path) -> None:
        out = Console(file=_Stream(self.stdout), width=160, highlight=False)
        table = Table(title="导入结果", show_lines=False)
        for column in COLUMNS[:-1]:
            table.add_column(column, overflow="fold", justify="right" if column in ("数据个数", "错误", "提示") else "left")
        for row in rows:
            style = STYLES.get(row["result"], "yellow")
            table.add_row(*(str(row[c]) for c in COLUMNS[:-1]), style=style)
        out.print(table)
        counts = {label: sum(row["结果"] == label for row in rows) for label in dict.fromkeys(row["结果"] for row in rows)}
        out.print("；".join(f"{label} {count} 个" for label, count in counts.items()) + f"。报告：{report}")
        with report.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS, extrasaction="ignore")
            writer.writeheader()
            writer.writerows({c: _csv_safe(row[c]) for c in COLUMNS} for row in rows)


def _row(name: str, result: str, outcome: PdfImportOutcome | None = None, message: str = "") -> dict:
    version = outcome.version if outcome else None
    disclosure = outcome.disclosure if outcome else None
    return {
        "result": result,
        "文件": name,
        "结果": Result.LABELS.get(result, "已跳过"),
        "决算": str(disclosure) if disclosure else "",
        "年度": outcome.year if outcome and outcome.year else "",
        "版本": f"第{version.number}版" if version else "",
        "数据个数": version.figure_count if version else "",
        "错误": len(outcome.errors) if outcome and outcome.result == Result.IMPORTED else "",
        "提示": len(outcome.warnings) if outcome and outcome.result == Result.IMPORTED else "",
        "说明": outcome.message if outcome else message,
        "SHA-256": outcome.sha256 if outcome else "",
    }


def _csv_safe(value) -> str:
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _pdfs(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf"))
        elif path.is_file():
            found.append(path)
        else:
            raise CommandError(f"找不到文件或文件夹「{name}」。")
    return list(dict.fromkeys(found))


def _date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"{what}：「{text}」不是 YYYY-MM-DD 格式的日期。") from None


def _dates(path: Path) -> dict[str, date]:
    if not path.is_file():
        raise CommandError(f"找不到日期文件「{path}」。")
    found = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for n, row in enumerate(csv.reader(handle), 1):
            if len(row) < 2 or not row[0].strip() or row[0].strip() in ("文件名", "文件"):
                continue
            found[Path(row[0].strip()).name] = _date(row[1], f"{path.name} 第 {n} 行")
    return found
