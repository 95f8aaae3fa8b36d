"""A draft application is its author's alone (docs/roles.md): the organisation's admins and the
bureau see it once it has been submitted, in pages and in the API."""

from kechuang.programs import services
from kechuang.programs.tests.factories import make_application


def statuses(client, application):
    pk = application.pk
    return (client.get(f"/applications/{pk}/").status_code, client.get(f"/api/v1/applications/{pk}").status_code,
            pk in [row["id"] for row in client.get("/api/v1/applications").json()])


def test_the_org_admin_sees_a_members_application_only_once_submitted(world, call, client_for):
    application = make_application(call, world.users.enterprise_user)
    assert statuses(client_for("org_admin"), application) == (404, 404, False)
    assert statuses(client_for("bureau_officer"), application) == (404, 404, False)
    assert statuses(client_for("enterprise_user"), application) == (200, 200, True)

    services.application_submit(by=world.users.enterprise_user, application=application)
    assert statuses(client_for("org_admin"), application) == (200, 200, True)
    assert statuses(client_for("bureau_officer"), application)[:2] == (200, 200)


def test_a_draft_withdrawn_before_submission_stays_private(world, call, client_for):
    application = make_application(call, world.users.enterprise_user)
    services.application_withdraw(by=world.users.enterprise_user, application=application)
    assert statuses(client_for("org_admin"), application) == (404, 404, False)
    assert statuses(client_for("bureau_officer"), application)[:2] == (404, 404)
    assert statuses(client_for("enterprise_user"), application) == (200, 200, True)
