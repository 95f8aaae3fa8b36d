from django.db import migrations

from kechuang.core.search import SearchIndex

INDEX = SearchIndex(table="demands_demand")


def create(apps, schema_editor):
    INDEX.create(schema_editor)


def drop(apps, schema_editor):
    INDEX.drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("demands", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
