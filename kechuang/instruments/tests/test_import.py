"""The instruments sheet goes through the libraries' import machinery: all rows or none, a row and
column error report, the export in the template layout."""

from decimal import Decimal

from openpyxl import load_workbook

from kechuang.achievements.tests.test_import import sheet, upload
from kechuang.core.excel import workbook_bytes
from kechuang.instruments import selectors
from kechuang.instruments.importers import export_records, import_instruments, instrument_spec
from kechuang.instruments.models import Instrument
from kechuang.instruments.tests.factories import category

HEADERS = ["仪器名称", "型号", "仪器分类", "原值（万元）", "所属单位统一社会信用代码", "主要技术指标", "对外收费（元）"]


def row(world, name="X射线光电子能谱仪", **overrides):
    values = {"仪器名称": name, "型号": "ESCALAB 250Xi", "仪器分类": "0101 质谱仪器", "原值（万元）": 380,
              "所属单位统一社会信用代码": None, "主要技术指标": "能量分辨率0.45 eV", "对外收费（元）": 900} | overrides
    return [values[header] for header in HEADERS]


def test_a_provider_imports_its_own_instruments_and_they_are_searchable(world):
    category()
    rows = [row(world), row(world, "原子力显微镜", **{"主要技术指标": "扫描范围90微米", "型号": "Dimension Icon"})]
    result = import_instruments(uploaded=upload(sheet(rows, HEADERS)), by=world.users.provider, dry_run=False)
    assert (result.rows, result.created, result.errors) == (2, 2, [])
    instrument = Instrument.objects.get(name="X射线光电子能谱仪")
    assert (instrument.owner, instrument.original_value, instrument.external_price) == (
        world.orgs.institute, Decimal("380.00"), Decimal("900.00"))
    found = selectors.instrument_search(world.users.org_admin, "能谱仪")
    assert found.page.object_list[0].name == "X射线光电子能谱仪"      # best first


def test_one_bad_row_imports_nothing_and_is_reported(world):
    category()
    data = sheet([row(world), row(world, "别家的仪器", **{"所属单位统一社会信用代码": world.orgs.enterprise.uscc}),
                  row(world, "零值仪器", **{"原值（万元）": 0})], HEADERS)
    result = import_instruments(uploaded=upload(data), by=world.users.provider, dry_run=False)
    assert result.created == 0 and not Instrument.objects.exists()
    assert [(error.row, error.column) for error in result.errors] == [
        (3, "所属单位统一社会信用代码"), (4, "原值（万元）")]


def test_the_export_reimports(world):
    category()
    import_instruments(uploaded=upload(sheet([row(world)], HEADERS)), by=world.users.provider, dry_run=False)
    spec = instrument_spec()
    data = workbook_bytes(title=spec.sheet_title, headers=[c.header for c in spec.columns],
                          rows=export_records(Instrument.objects.all(), unmask=True))
    exported = list(load_workbook(__import__("io").BytesIO(data)).active.iter_rows(values_only=True))
    assert exported[1][0] == "X射线光电子能谱仪" and exported[1][3] == "0101 质谱仪器"
    Instrument.objects.all().delete()
    result = import_instruments(uploaded=upload(data), by=world.users.bureau_officer, dry_run=False)
    assert result.created == 1 and Instrument.objects.get().owner == world.orgs.institute
