from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts_app.services.backup import backup_export


class Command(BaseCommand):
    help = "把全部数据（含用户、角色、审核记录）和存储的文件（上传的工作簿、公开的 PDF）导出为一个备份文件（.tar.gz）。"

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="备份文件路径，如 /backups/portal-2024-06-01.tar.gz")
        parser.add_argument("--force", action="store_true", help="覆盖已有的文件")

    def handle(self, *args, path: Path, force=False, **options):
        if path.exists() and not force:
            raise CommandError(f"{path} 已存在；加 --force 覆盖。")
        summary = backup_export(path=path)
        rows = sum(summary.rows.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"已导出 {rows} 行数据（{len(summary.rows)} 个数据表）和 {summary.files} 个文件"
                f"（{summary.bytes / 1e6:.1f} MB）到 {path}。"
            )
        )
        if summary.missing_files:
            self.stderr.write(f"注意：{len(summary.missing_files)} 个文件在存储中找不到，未能导出，例如 {summary.missing_files[0]}。")
