"""English names of the default instrument classification (migration 0002), shown on English pages."""

from django.db import migrations, models

ENGLISH = {
    "01": "Analytical instruments", "0101": "Mass spectrometry instruments", "0102": "Chromatography instruments",
    "0103": "Spectroscopy instruments", "0104": "Magnetic resonance spectrometers",
    "0105": "Electron optical instruments", "0106": "X-ray instruments", "0107": "Thermal analysis instruments",
    "0108": "Microscopes and image analysis instruments",
    "02": "Physical property testing instruments", "0201": "Mechanical testing instruments",
    "0202": "Optical testing instruments", "0203": "Electromagnetic testing instruments",
    "03": "Metrology instruments", "04": "Electronic measuring instruments", "05": "Marine instruments",
    "06": "Earth exploration instruments", "07": "Atmospheric sounding instruments",
    "08": "Special testing instruments", "09": "Medical research instruments", "10": "Nuclear instruments",
    "11": "Lasers", "12": "Process testing equipment", "13": "Computers and auxiliary equipment",
    "14": "Other instruments",
}


def fill(apps, schema_editor):
    """Fills the English names of the default categories; one an admin entered is kept."""
    Category = apps.get_model("instruments", "InstrumentCategory")
    for category in Category.objects.filter(name_en="", code__in=ENGLISH):
        category.name_en = ENGLISH[category.code]
        category.save(update_fields=["name_en"])


class Migration(migrations.Migration):

    dependencies = [
        ('instruments', '0004_ranges'),
    ]

    operations = [
        migrations.AddField(
            model_name='instrumentcategory',
            name='name_en',
            field=models.CharField(blank=True, max_length=120, verbose_name='English name'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
