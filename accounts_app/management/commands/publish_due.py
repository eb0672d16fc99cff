from django.core.management.base import BaseCommand

from accounts_app.services.workflow import publish_due


class Command(BaseCommand):
    help = "公开定时公开时间已到的版本（请每分钟运行一次，例如由 cron 调用）。"

    def handle(self, *args, **options):
        for version in publish_due():
            state = "已公开" if version.status == version.Status.PUBLISHED else "开始生成公开文件（由 db_worker 完成后公开）"
            self.stdout.write(f"{state}：{version}")
