from kechuang.achievements import services
from kechuang.achievements.choices import AchievementStatus as Status
from kechuang.achievements.selectors import SearchParams, achievement_search, similar_achievements
from kechuang.achievements.tests.factories import make_achievement


def names(result):
    return [record.name for record in result.page.object_list]


def publish(world, **data):
    achievement = make_achievement(world, status=Status.SUBMITTED, **data)
    return services.achievement_publish(achievement=achievement, by=world.users.bureau_officer)


def test_a_two_character_word_finds_records_containing_it(world, django_user_model):
    publish(world, name="固态电池电解质", summary="硫化物固态电解质，提高电池安全性。", keywords="")
    publish(world, name="污水深度处理工艺", summary="膜生物反应器处理市政污水。", keywords="")
    result = achievement_search(world.users.enterprise_user, SearchParams(query="电池"))
    assert names(result) == ["固态电池电解质"]


def test_a_demand_in_other_words_finds_the_record_through_its_keywords(world):
    publish(world, name="一种新型正极材料的制备方法", summary="涉及高镍三元前驱体的共沉淀工艺。",
            keywords="锂离子电池,储能")
    publish(world, name="混凝土早强剂", summary="提高冬季施工混凝土早期强度。", keywords="建筑材料")
    result = achievement_search(None or world.users.enterprise_user,
                                SearchParams(query="我们需要提升储能电站的电芯寿命，寻找锂离子电池方面的技术"))
    assert names(result)[0] == "一种新型正极材料的制备方法"
    assert "混凝土早强剂" not in names(result)


def test_only_published_records_are_found(world, client_for):
    make_achievement(world, name="未发布的电池草稿")
    publish(world, name="已发布的电池成果")
    html = client_for("public").get("/achievements/", {"query": "电池"}).content.decode()
    assert "已发布的<mark>电池</mark>成果" in html and "未发布的" not in html


def test_withdrawn_records_leave_the_index(world):
    achievement = publish(world, name="钠离子电池")
    services.achievement_withdraw(achievement=achievement, by=world.users.institute_user)
    assert names(achievement_search(world.users.bureau_officer, SearchParams(query="钠离子"))) == []


def test_edits_of_published_records_are_reindexed(world):
    achievement = publish(world, name="钠离子电池", summary="低成本储能电芯。")
    services.achievement_update(achievement=achievement, by=world.users.institute_user,
                                data={"name": "固态电解质", "summary": "硫化物体系。"})
    assert names(achievement_search(world.users.bureau_officer, SearchParams(query="硫化物"))) == ["固态电解质"]
    assert names(achievement_search(world.users.bureau_officer, SearchParams(query="储能"))) == []


def test_facets_filter_and_count(world):
    from kechuang.core.models import ReadinessLevel, TechField

    materials = TechField.objects.get(code="F4.03")
    publish(world, name="高分子电池隔膜", tech_field=materials, readiness=ReadinessLevel.objects.get(level=6),
            transfer_modes=["licence"])
    publish(world, name="电池管理芯片", form="product")
    result = achievement_search(world.users.bureau_officer, SearchParams(query="电池", tech_field="F4"))
    assert names(result) == ["高分子电池隔膜"]
    counts = {code: count for code, _name, count in
              achievement_search(world.users.bureau_officer, SearchParams(query="电池")).facets["tech_field"]}
    assert counts["F4"] == 1 and counts["F1"] == 0
    assert names(achievement_search(world.users.bureau_officer, SearchParams(readiness="6"))) == ["高分子电池隔膜"]
    assert names(achievement_search(world.users.bureau_officer, SearchParams(transfer_mode="licence"))) == [
        "高分子电池隔膜"]
    assert names(achievement_search(world.users.bureau_officer, SearchParams(form="product"))) == ["电池管理芯片"]


def test_sorting_by_date_and_empty_state(world, client_for):
    first = publish(world, name="电池一号")
    second = publish(world, name="电池二号")
    assert names(achievement_search(world.users.bureau_officer, SearchParams(query="电池", sort="date")))[0] == \
        second.name
    html = client_for("public").get("/achievements/", {"query": "量子引力"}).content.decode()
    assert 'data-testid="no-results"' in html
    assert first.pk


def test_similar_records_come_from_the_same_index(world):
    base = publish(world, name="锂电池正极材料", keywords="锂电池,正极", summary="高镍三元。")
    publish(world, name="锂电池负极材料", keywords="锂电池,负极", summary="硅碳复合。")
    publish(world, name="水稻育种技术", keywords="水稻,育种", summary="耐盐碱品种。")
    assert [a.name for a in similar_achievements(world.users.bureau_officer, base)] == ["锂电池负极材料"]
