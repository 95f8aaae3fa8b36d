"""The catalogue's full-text index, the default instrument classification, and on PostgreSQL the
exclusion constraint that keeps bookings holding a slot from overlapping."""

from django.db import migrations

from kechuang.core.search import SearchIndex

INDEX = SearchIndex(table="instruments_instrument")

# (code, name, [(code, name), ...]) after the national classification of large research instruments
CATEGORIES = [
    ("01", "分析仪器", [("0101", "质谱仪器"), ("0102", "色谱仪器"), ("0103", "光谱仪器"), ("0104", "波谱仪器"),
                    ("0105", "电子光学仪器"), ("0106", "X射线仪器"), ("0107", "热分析仪器"), ("0108", "显微镜及图像分析仪器")]),
    ("02", "物理性能测试仪器", [("0201", "力学性能测试仪器"), ("0202", "光学测试仪器"), ("0203", "电磁学测试仪器")]),
    ("03", "计量仪器", []), ("04", "电子测量仪器", []), ("05", "海洋仪器", []), ("06", "地球探测仪器", []),
    ("07", "大气探测仪器", []), ("08", "特种检测仪器", []), ("09", "医学科研仪器", []), ("10", "核仪器", []),
    ("11", "激光器", []), ("12", "工艺实验设备", []), ("13", "计算机及其配套设备", []), ("14", "其他仪器", []),
]

# The instrument is compared as a one-point range, so plain GiST range operators do the whole job
# (no btree_gist extension, which not every PostgreSQL installation ships).
EXCLUSION = """
ALTER TABLE instruments_booking ADD CONSTRAINT booking_slots_never_overlap
  EXCLUDE USING gist (int8range(instrument_id, instrument_id, '[]') WITH &&,
                      tstzrange(starts_at, ends_at, '[)') WITH &&)
  WHERE (status IN ('pending', 'confirmed'));
"""


def forward(apps, schema_editor):
    INDEX.create(schema_editor)
    Category = apps.get_model("instruments", "InstrumentCategory")
    for code, name, children in CATEGORIES:
        parent, _created = Category.objects.get_or_create(code=code, defaults={"name": name})
        for child_code, child_name in children:
            Category.objects.get_or_create(code=child_code, defaults={"name": child_name, "parent": parent})
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(EXCLUSION)


def backward(apps, schema_editor):
    INDEX.drop(schema_editor)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE instruments_booking DROP CONSTRAINT IF EXISTS booking_slots_never_overlap")


class Migration(migrations.Migration):
    dependencies = [("instruments", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
