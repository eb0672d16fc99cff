"""What the public board shows of each row, copied onto the disclosure as its listing columns
are (services.listing `listing_refresh` keeps them from now on), so that the board reads one
row per department or unit instead of each row's versions: when it was first published
(first_published_at: the earliest published_at of its published versions) and the 公开质量 of
its current version (listed_score, listed_grade); filled here from the versions."""

from django.db import migrations, models
from django.db.models import DecimalField, Min, OuterRef, Subquery, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, Round

SCORE = DecimalField(max_digits=6, decimal_places=2)


def fill(apps, schema_editor):
    Disclosure, Version = apps.get_model("accounts_app", "Disclosure"), apps.get_model("accounts_app", "Version")
    first = (
        Version.objects.filter(disclosure=OuterRef("pk"), status="published")
        .order_by()
        .values("disclosure")
        .annotate(first=Min("published_at"))
        .values("first")
    )
    current = Version.objects.filter(pk=OuterRef("current_version_id")).order_by()
    total = Round(Cast(KeyTextTransform("total", "quality"), SCORE), 2, output_field=SCORE)
    Disclosure.objects.update(  # NULL and "": never published, or not scored
        first_published_at=Subquery(first),
        listed_score=Subquery(current.annotate(score=total).values("score")[:1], output_field=SCORE),
        listed_grade=Coalesce(Subquery(current.annotate(grade=KeyTextTransform("grade", "quality")).values("grade")[:1]), Value("")),
    )


class Migration(migrations.Migration):
    dependencies = [("accounts_app", "0021_listing_key_totals")]

    operations = [
        migrations.AddField(
            model_name="disclosure",
            name="first_published_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="首次公开时间"),
        ),
        migrations.AddField(
            model_name="disclosure",
            name="listed_score",
            field=models.DecimalField(blank=True, decimal_places=2, editable=False, max_digits=6, null=True, verbose_name="现行版本公开质量得分"),
        ),
        migrations.AddField(
            model_name="disclosure",
            name="listed_grade",
            field=models.CharField(blank=True, editable=False, max_length=20, verbose_name="现行版本公开质量等级"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
