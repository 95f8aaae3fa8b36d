"""面议 is no longer ticked by default: a typed price used to be saved as negotiable and hidden."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('achievements', '0003_ranges'),
    ]

    operations = [
        migrations.AlterField(
            model_name='achievement',
            name='price_negotiable',
            field=models.BooleanField(default=False, verbose_name='price negotiable'),
        ),
    ]
