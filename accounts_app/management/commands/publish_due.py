from django.core.management.base import BaseCommand

from accounts_app.services.workflow import publish_due


class Command(BaseCommand):
    help = "公开定时公开时间已到的版本（请每分钟运行一次，例如由 cron 调用）。"

    def handle(self, *args, **options):
        for version in publish_due():
            self.stdout.write(f"已公开：{version}")
