from django.db import transaction

from kechuang.core.bulk import insert_objects
from kechuang.core.models import District


def test_inserts_with_fresh_ids_and_prepared_values(world):
    existing = max(District.objects.values_list("pk", flat=True))
    with transaction.atomic():
        districts = [District(code=f"X{i}", name=f"新区{i}") for i in range(3)]
        insert_objects(districts)
    assert [d.pk for d in districts] == [existing + 1, existing + 2, existing + 3]
    assert list(District.objects.filter(code__startswith="X").values_list("pk", "name", "is_active")) == [
        (existing + 1, "新区0", True), (existing + 2, "新区1", True), (existing + 3, "新区2", True)]
    later = District.objects.create(code="Y1", name="后建")
    assert later.pk == existing + 4  # the sequence moved past the reserved ids
