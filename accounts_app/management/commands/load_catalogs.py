from django.core.management.base import BaseCommand

from accounts_app.services.catalogs import catalogs_load


class Command(BaseCommand):
    help = "载入支出功能分类科目、部门支出经济分类科目目录和标准名词解释（accounts_app/data/*.csv）。"

    def add_arguments(self, parser):
        parser.add_argument("--overwrite", action="store_true", help="以参考文件覆盖管理员修改过的名称和说明")

    def handle(self, *args, overwrite=False, **options):
        for name, result in catalogs_load(overwrite=overwrite).items():
            self.stdout.write(f"{name}：新增 {result.created} 个，更新 {result.updated} 个")
