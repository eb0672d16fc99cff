from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts_app.services.backup import BackupRefused, backup_import


class Command(BaseCommand):
    help = "把 backup_export 导出的备份恢复到空数据库（须先执行 migrate，且库中没有任何数据）和媒体存储。"

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="备份文件路径")

    def handle(self, *args, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"找不到备份文件 {path}。")
        try:
            summary = backup_import(path=path)
        except BackupRefused as refused:
            raise CommandError(str(refused)) from None
        rows = sum(summary.rows.values())
        self.stdout.write(
            self.style.SUCCESS(f"已恢复 {rows} 行数据（{len(summary.rows)} 个数据表）和 {summary.files} 个文件。")
        )
        if summary.missing_files:
            self.stderr.write(f"注意：备份时就缺少 {len(summary.missing_files)} 个文件，例如 {summary.missing_files[0]}。")
        if summary.pdf_mismatches:
            raise CommandError(f"{len(summary.pdf_mismatches)} 个 PDF 与记录的 SHA-256 不符，例如 {summary.pdf_mismatches[0]}。")
