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
