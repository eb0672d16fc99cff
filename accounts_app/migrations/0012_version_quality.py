from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts_app", "0011_fact_none"),
    ]

    operations = [
        migrations.AddField(
            model_name="version",
            name="quality",
            field=models.JSONField(
                blank=True,
                editable=False,
                help_text="完整性、细化程度、及时性、一致性、公开方式五个维度的得分和依据（services.quality 计算并写入）。",
                null=True,
                verbose_name="公开质量",
            ),
        ),
    ]
