from django.core.management.base import BaseCommand, CommandError

from accounts_app.services.synthetic import SyntheticRefused, synthetic_generate


class Command(BaseCommand):
    help = (
        "生成合成的已公开部门决算（用于容量和压力测试）：N 个部门 × 若干年度，分布在约 20 个合成地区"
        "（行政区划代码 99 开头），数据由示例决算按比例缩放并重新推算合计，全部通过勾稽关系检查。"
        "PostgreSQL 上以 COPY 写入。不生成 PDF（需要时运行 render_pdfs）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--departments", type=int, default=2000, help="部门数（默认 2000）")
        parser.add_argument("--years", default="2019-2023", help="年度范围或列表，如 2019-2023 或 2022,2023")
        parser.add_argument("--regions", type=int, default=20, help="合成地区数（默认 20）")
        parser.add_argument("--seed", type=int, default=1, help="随机种子：同一种子生成同样的数据")
        parser.add_argument(
            "--workers", type=int, default=2,
            help="PostgreSQL 上同时写入的连接数（默认 2；每批各自提交）；SQLite 上不使用",
        )

    def handle(self, *args, departments, years, regions, seed, workers, **options):
        try:
            year_list = _years(years)
        except ValueError:
            raise CommandError("--years 应为 2019-2023 或 2022,2023 这样的格式。") from None
        if departments < 1 or regions < 1 or workers < 1:
            raise CommandError("--departments、--regions 和 --workers 须为正数。")

        def progress(done, total):
            self.stdout.write(f"\r部门 {done}/{total}", ending="")
            self.stdout.flush()

        try:
            result = synthetic_generate(
                departments=departments, years=year_list, regions=min(regions, departments), seed=seed,
                workers=workers, progress=progress,
            )
        except SyntheticRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成 {result.regions} 个地区、{result.departments} 个部门、{result.versions} 个已公开版本"
                f"（{result.lines} 行、{result.figures} 个数据），用时 {result.seconds:.1f} 秒。"
            )
        )


def _years(text: str) -> list[int]:
    if "-" in text:
        first, last = (int(part) for part in text.split("-", 1))
        if last < first or last - first > 50:
            raise ValueError(text)
        return list(range(first, last + 1))
    return sorted({int(part) for part in text.split(",") if part.strip()})
