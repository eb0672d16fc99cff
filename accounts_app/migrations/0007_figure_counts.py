"""The number of figures of each stored table and version, written when a version is stored
(its figures never change afterwards). The API pages `/api/figures` by these counts: the
total is a sum over the versions, not a count over every figure. Existing rows are counted
here, in one UPDATE per model."""

from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce


def count_figures(apps, schema_editor):
    VersionTable = apps.get_model("accounts_app", "VersionTable")
    Version = apps.get_model("accounts_app", "Version")
    Figure = apps.get_model("accounts_app", "Figure")
    per_table = (
        Figure.objects.filter(line__table=OuterRef("pk")).order_by().values("line__table").annotate(n=Count("pk")).values("n")
    )
    VersionTable.objects.update(figure_count=Coalesce(Subquery(per_table), 0))
    per_version = (
        VersionTable.objects.filter(version=OuterRef("pk")).order_by().values("version").annotate(n=Sum("figure_count")).values("n")
    )
    Version.objects.update(figure_count=Coalesce(Subquery(per_version), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts_app", "0006_narrative"),
    ]

    operations = [
        migrations.AddField(
            model_name="version",
            name="figure_count",
            field=models.PositiveIntegerField(
                default=0, editable=False, help_text="导入时写入：各表数据个数之和。", verbose_name="数据个数"
            ),
        ),
        migrations.AddField(
            model_name="versiontable",
            name="figure_count",
            field=models.PositiveIntegerField(
                default=0, editable=False, help_text="导入时写入；一个版本的数据存下后不再改变。", verbose_name="数据个数"
            ),
        ),
        migrations.AddIndex(
            model_name="versiontable",
            index=models.Index(fields=["table", "version"], include=["figure_count"], name="versiontable_table_version"),
        ),
        migrations.RunPython(count_figures, migrations.RunPython.noop, elidable=True),
    ]
