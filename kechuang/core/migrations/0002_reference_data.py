from django.db import migrations


def load(apps, schema_editor):
    from kechuang.core import reference_data as data

    apps.get_model("core", "AuditChainHead").objects.get_or_create(pk=1)
    District = apps.get_model("core", "District")
    for order, (code, name, _english) in enumerate(data.DEMO_DISTRICTS):
        District.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    IndustryChain = apps.get_model("core", "IndustryChain")
    for order, (code, name, _english) in enumerate(data.INDUSTRY_CHAINS):
        IndustryChain.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    TechField = apps.get_model("core", "TechField")
    for order, (code, name, _english, children) in enumerate(data.TECH_FIELDS):
        parent, _ = TechField.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
        for child_order, (child, _child_english) in enumerate(children, start=1):
            TechField.objects.get_or_create(
                code=f"{code}.{child_order:02d}",
                defaults={"name": child, "parent": parent, "sort_order": child_order},
            )
    IndustryClass = apps.get_model("core", "IndustryClass")
    for order, (section, name, _english, divisions) in enumerate(data.INDUSTRY_CLASSES):
        parent, _ = IndustryClass.objects.get_or_create(code=section, defaults={"name": name, "sort_order": order})
        for division, division_name, _division_english in divisions:
            IndustryClass.objects.get_or_create(
                code=division, defaults={"name": division_name, "parent": parent, "sort_order": int(division)}
            )
    ReadinessLevel = apps.get_model("core", "ReadinessLevel")
    for level, name, description, *_english in data.READINESS_LEVELS:
        ReadinessLevel.objects.get_or_create(level=level, defaults={"name": name, "description": description})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
