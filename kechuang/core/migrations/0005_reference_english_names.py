"""English names of the reference data, shown on English pages (docs/architecture.md, "Language")."""

from django.db import migrations, models


def fill(apps, schema_editor):
    """Fills the English names the platform ships, by code; an English name an admin already
    entered is kept. Idempotent (the test suite's reference-data loader calls it again)."""
    from kechuang.core import reference_data as data

    names = {"District": {code: english for code, _name, english in data.DEMO_DISTRICTS},
             "IndustryChain": {code: english for code, _name, english in data.INDUSTRY_CHAINS},
             "TechField": {}, "IndustryClass": {}}
    for code, _name, english, children in data.TECH_FIELDS:
        names["TechField"][code] = english
        for order, (_child, child_english) in enumerate(children, start=1):
            names["TechField"][f"{code}.{order:02d}"] = child_english
    for section, _name, english, divisions in data.INDUSTRY_CLASSES:
        names["IndustryClass"][section] = english
        names["IndustryClass"].update({division: division_english for division, _n, division_english in divisions})
    for model_name, by_code in names.items():
        model = apps.get_model("core", model_name)
        for item in model.objects.filter(name_en="", code__in=by_code):
            item.name_en = by_code[item.code]
            item.save(update_fields=["name_en"])
    ReadinessLevel = apps.get_model("core", "ReadinessLevel")
    for level, _name, _description, english, english_description in data.READINESS_LEVELS:
        ReadinessLevel.objects.filter(level=level, name_en="").update(name_en=english,
                                                                      description_en=english_description)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_submission_key'),
    ]

    operations = [
        migrations.AddField(
            model_name='district',
            name='name_en',
            field=models.CharField(blank=True, max_length=150, verbose_name='English name'),
        ),
        migrations.AddField(
            model_name='industrychain',
            name='name_en',
            field=models.CharField(blank=True, max_length=150, verbose_name='English name'),
        ),
        migrations.AddField(
            model_name='industryclass',
            name='name_en',
            field=models.CharField(blank=True, max_length=150, verbose_name='English name'),
        ),
        migrations.AddField(
            model_name='readinesslevel',
            name='description_en',
            field=models.TextField(blank=True, verbose_name='English description'),
        ),
        migrations.AddField(
            model_name='readinesslevel',
            name='name_en',
            field=models.CharField(blank=True, max_length=150, verbose_name='English name'),
        ),
        migrations.AddField(
            model_name='techfield',
            name='name_en',
            field=models.CharField(blank=True, max_length=150, verbose_name='English name'),
        ),
        migrations.AlterField(
            model_name='district',
            name='name',
            field=models.CharField(max_length=100, verbose_name='Chinese name'),
        ),
        migrations.AlterField(
            model_name='industrychain',
            name='name',
            field=models.CharField(max_length=100, verbose_name='Chinese name'),
        ),
        migrations.AlterField(
            model_name='industryclass',
            name='name',
            field=models.CharField(max_length=100, verbose_name='Chinese name'),
        ),
        migrations.AlterField(
            model_name='readinesslevel',
            name='name',
            field=models.CharField(max_length=100, verbose_name='Chinese name'),
        ),
        migrations.AlterField(
            model_name='techfield',
            name='name',
            field=models.CharField(max_length=100, verbose_name='Chinese name'),
        ),
        migrations.AlterField(
            model_name='readinesslevel',
            name='description',
            field=models.TextField(verbose_name='Chinese description'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
