from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts_app.services.demo import demo_load


class Command(BaseCommand):
    help = "载入演示数据：三个示例地区、部门、演示用户和三份示例决算（仅用于开发和演示）。"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="在 DEBUG 关闭时也载入（会创建已知密码的账号）。")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("演示数据会创建密码公开的账号，只能在 DEBUG=1 时载入（或加 --force）。")
        logins = demo_load()
        self.stdout.write(self.style.SUCCESS("演示数据已载入。登录 http://127.0.0.1:8000/admin/ ："))
        for login in logins:
            self.stdout.write(f"  {login.username:<12} 密码 {login.password}   {login.role}")
