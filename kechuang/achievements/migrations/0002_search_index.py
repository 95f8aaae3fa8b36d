from django.db import migrations

from kechuang.core.search import SearchIndex

INDEX = SearchIndex(table="achievements_achievement")


def create(apps, schema_editor):
    INDEX.create(schema_editor)


def drop(apps, schema_editor):
    INDEX.drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("achievements", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
