"""manage.py import_organisations --region 410704 部门和用户.csv

What the admin's 导入部门和用户 page does (the same reading, importing.organisations_csv, and
the same import, services.organisations_csv), for administrators and scripts: a region's departments, units, 填报人 and
审核人 from CSV (columns in docs/admin.md), with a progress bar and a report of every item
(新建 / 已存在 / 拒绝 and why). Idempotent: what exists is left as it is, so a second run
changes nothing. New users are e-mailed a link to set their password, at --site (default:
the first of ALLOWED_HOSTS). --dry-run shows the report and keeps nothing.

Exit status 0 when nothing was refused; 1 when the file was rejected (nothing imported,
every problem listed) or some items were refused (the rest imported)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from accounts_app.models import Region
from accounts_app.importing.organisations_csv import CsvRejected, organisations_csv_parse
from accounts_app.services.organisations_csv import CREATED, EXISTS, REFUSED, organisations_import

STYLES = {CREATED: "green", EXISTS: "dim", REFUSED: "red"}


class _Stream:
    """A command's output wrapper as a file for rich (which writes pieces, not lines)."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text: str) -> int:
        self.wrapper.write(text, style_func=lambda x: x, ending="")
        return len(text)

    def flush(self) -> None:
        self.wrapper.flush()

    def isatty(self) -> bool:
        return self.wrapper.isatty()


def default_site() -> str:
    hosts = [host for host in settings.ALLOWED_HOSTS if host not in ("*", "") and not host.startswith(".")]
    scheme = "https" if getattr(settings, "HTTPS", False) else "http"
    return f"{scheme}://{hosts[0] if hosts else 'localhost'}"


class Command(BaseCommand):
    help = "从 CSV 文件导入一个行政区划的部门、单位、填报人和审核人（列见 docs/admin.md）；重复导入不会重复建立。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV 文件（UTF-8 或 GBK 编码）")
        parser.add_argument("--region", required=True, help="行政区划代码，例如 410704（须已在管理后台建立）")
        parser.add_argument("--site", default="", help="邮件中设置密码链接的网站地址，例如 https://juesuan.example.gov.cn")
        parser.add_argument("--dry-run", action="store_true", help="只显示将要做的，不保存、不发邮件")

    def handle(self, *args, file, region, site, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件「{file}」。")
        found = Region.objects.filter(code=region).first()
        if found is None:
            raise CommandError(f"没有代码为「{region}」的行政区划：请先在管理后台建立（或用“新增部门”页面）。")
        try:
            parsed = organisations_csv_parse(data=path.read_bytes())
        except CsvRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(problem)
            raise CommandError(f"文件「{path.name}」没有导入：有 {len(rejected.problems)} 个问题（见上）。") from None

        out = Console(file=_Stream(self.stdout), width=120, highlight=False)
        progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=Console(file=_Stream(self.stderr))
        )
        with progress:
            task = progress.add_task("导入" if not dry_run else "预演", total=parsed.size)
            report = organisations_import(
                region=found,
                file=parsed,
                site_url=site or default_site(),
                dry_run=dry_run,
                progress=lambda: progress.advance(task),
            )

        table = Table(title=f"{found}（{found.code}）" + ("：预演，未保存" if dry_run else ""))
        for column in ("类别", "名称", "结果", "说明", "文件行"):
            table.add_column(column)
        for line in report.lines:
            table.add_row(line.kind, line.name, f"[{STYLES[line.outcome]}]{line.outcome_label}[/]", line.reason, line.line_text)
        out.print(table)
        out.print(report.summary)
        if report.counts[REFUSED]:
            raise CommandError(f"有 {report.counts[REFUSED]} 项被拒绝（原因见上表），其余{'将' if dry_run else '已'}导入。")
