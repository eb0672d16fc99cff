from django.core.management.base import BaseCommand, CommandError

from accounts_app.models import Version
from accounts_app.services.pdfs import version_pdf_store


class Command(BaseCommand):
    help = "重新生成已公开版本的 PDF：指定一个决算、一个年度，或全部。"

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--disclosure", type=int, help="决算公开的编号（ID）")
        group.add_argument("--year", type=int, help="年度")
        group.add_argument("--all", action="store_true", help="全部已公开的版本")

    def handle(self, *args, disclosure=None, year=None, all=False, **options):
        # a version imported from its published PDF keeps that PDF: it is never re-rendered
        versions = Version.objects.filter(status=Version.Status.PUBLISHED, origin=Version.Origin.UPLOAD).select_related(
            "disclosure__department__region", "disclosure__unit", "disclosure__year"
        )
        if disclosure:
            versions = versions.filter(disclosure_id=disclosure)
        elif year:
            versions = versions.filter(disclosure__year__year=year)
        versions = list(versions.order_by("disclosure_id", "number"))
        if not versions:
            raise CommandError("没有符合条件的已公开版本。")
        total, width = len(versions), 30
        changed = 0
        for done, version in enumerate(versions, start=1):
            before = version.pdf_sha256
            version_pdf_store(version)
            changed += before != version.pdf_sha256
            filled = width * done // total
            self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {version}", ending="")
            self.stdout.flush()
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"已生成 {total} 个 PDF，其中 {changed} 个内容有变化。"))
