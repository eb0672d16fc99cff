"""manage.py import_workbook --department 名称或编码 --year 2024 工作簿.xlsx

Exactly what the workspace upload does (services.workflow.version_upload: the same
reading, checks, findings and audit entry, a new draft version), for administrators and
scripts. Prints what each sheet was read as, then the findings, errors first. The exit
status is 0 only when a version was stored."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from accounts_app.models import Department, Disclosure
from accounts_app.services import workflow
from accounts_app.services.organisations import disclosure_ensure


class Command(BaseCommand):
    help = "导入一个决算公开表工作簿，作为指定部门（或单位）某年度决算的新版本（草稿），与工作台上传完全相同。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="工作簿文件（.xlsx）")
        parser.add_argument("--department", required=True, help="部门名称或部门编码")
        parser.add_argument("--year", required=True, type=int, help="决算年度，例如 2024")
        parser.add_argument("--unit", default="", help="单位决算时填写单位名称；不填则为部门决算")
        parser.add_argument("--user", default="", help="记在操作日志中的用户名（默认不记用户）")

    def handle(self, *args, file, department, year, unit, user, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件「{file}」。")
        found = list(Department.objects.filter(Q(name=department) | Q(code=department)).select_related("region")[:2])
        if not found:
            raise CommandError(f"没有名称或编码为「{department}」的部门。")
        if len(found) > 1:
            raise CommandError(f"名称或编码为「{department}」的部门不止一个，请用部门编码。")
        dept = found[0]
        actor_user = None
        if user:
            actor_user = get_user_model().objects.filter(username=user).first()
            if actor_user is None:
                raise CommandError(f"没有用户「{user}」。")
        kind = Disclosure.Kind.UNIT if unit else Disclosure.Kind.DEPARTMENT
        disclosure = disclosure_ensure(region=dept.region, entity=unit or dept.name, year=year, kind=kind, department=dept.name)
        outcome = workflow.version_upload(
            disclosure=disclosure, data=path.read_bytes(), filename=path.name, actor=workflow.Actor(actor_user)
        )
        for sheet in outcome.sheets:
            read_as = f"{sheet.label}「{sheet.title}」" if sheet.status == "read" else ""
            counts = f"{sheet.rows} 行，{sheet.figures} 个数据" + (f"，合计 {sheet.headline}" if sheet.headline else "")
            detail = f"{read_as}，{counts}" if sheet.status == "read" else sheet.reason
            self.stdout.write(f"工作表「{sheet.sheet}」：{sheet.status_label}" + (f"：{detail}" if detail else ""))
        errors, warnings = outcome.errors, outcome.warnings
        for problem in errors + warnings:
            level = "错误" if problem.is_error else "提示"
            where = f"[{problem.sheet}{' ' + problem.cell if problem.cell else ''}] " if problem.sheet else ""
            self.stdout.write(f"{level} {where}{problem.message}")
        if not outcome.accepted:
            raise CommandError("未保存：文件无法安全打开。")
        self.stdout.write(
            self.style.SUCCESS(
                f"已保存为{disclosure}第 {outcome.version.number} 版（草稿）：错误 {len(errors)} 处，提示 {len(warnings)} 条。"
            )
        )
