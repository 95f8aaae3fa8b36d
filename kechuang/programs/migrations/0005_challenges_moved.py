# The challenge models now belong to the challenges app (its 0001 took over their tables and
# rows, ADR 16); programmes only forget them. No database operation.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('challenges', '0001_initial'),
        ('programs', '0004_ranges'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.DeleteModel(name='StageAssessment'),
            migrations.DeleteModel(name='Challenge'),
            migrations.DeleteModel(name='ChallengeList'),
        ]),
    ]
