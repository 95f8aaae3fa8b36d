from kechuang.achievements.choices import AchievementSource, AchievementStatus
from kechuang.achievements.models import FundedProject
from kechuang.achievements.selectors import registration_report
from kechuang.achievements.tests.factories import make_achievement


def project(world, reference, org):
    return FundedProject.objects.create(reference=reference, title=f"项目{reference}", organization=org, year=2025)


def test_the_bureau_sees_which_funded_projects_registered_nothing(world, client_for):
    registered = project(world, "P-1", world.orgs.institute)
    draft_only = project(world, "P-2", world.orgs.institute)
    project(world, "P-3", world.orgs.enterprise)
    make_achievement(world, source=AchievementSource.FUNDED, funded_project=registered,
                     status=AchievementStatus.SUBMITTED)
    make_achievement(world, source=AchievementSource.FUNDED, funded_project=draft_only)  # a draft does not count
    missing, per_org = registration_report(world.users.bureau_officer)
    assert sorted(p.reference for p in missing) == ["P-2", "P-3"]
    assert {row["organization__name"]: (row["total"], row["missing"]) for row in per_org} == {
        world.orgs.institute.name: (2, 1), world.orgs.enterprise.name: (1, 1)}
    html = client_for("bureau_officer").get("/achievements/registration/").content.decode()
    assert "P-2" in html and "P-1" not in html


def test_a_funded_result_names_a_project_of_its_own_organisation(world):
    import pytest
    from django.core.exceptions import ValidationError

    foreign = project(world, "P-9", world.orgs.enterprise)
    with pytest.raises(ValidationError) as error:
        make_achievement(world, source=AchievementSource.FUNDED, funded_project=foreign)
    assert "funded_project" in error.value.message_dict
    with pytest.raises(ValidationError):
        make_achievement(world, source=AchievementSource.FUNDED, funded_project=None)


def test_the_bureau_loads_funded_projects_from_excel(world, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from kechuang.achievements.importers import import_funded_projects

    def sheet(rows):
        workbook = Workbook()
        workbook.active.append(["项目编号", "项目名称", "承担单位统一社会信用代码", "计划类别", "立项年度",
                                "资助金额（万元）"])
        for row in rows:
            workbook.active.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return SimpleUploadedFile("projects.xlsx", buffer.getvalue())

    good = ["P-100", "高镍正极材料", world.orgs.institute.uscc, "市重点研发专项", 2025, 200]
    result = import_funded_projects(uploaded=sheet([good]), by=world.users.bureau_officer, dry_run=False)
    assert result.created == 1 and FundedProject.objects.get(reference="P-100").organization == world.orgs.institute
    again = import_funded_projects(uploaded=sheet([good, ["P-101", "x", "91410100MA0000000X", "", 1800, None]]),
                                   by=world.users.bureau_officer, dry_run=False)
    assert {(e.row, e.column) for e in again.errors} == {
        (2, "项目编号"), (3, "承担单位统一社会信用代码"), (3, "立项年度")}
    assert FundedProject.objects.count() == 1
