import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kechuang.core.files import DOCUMENTS, attachment_store
from kechuang.core.services import job_create
from kechuang.core.testing import (
    PERSONAS,
    SIGNED_IN_PERSONAS,
    AccessCase,
    access_params,
    check_access,
    everyone_but,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def admin_job(world):
    return [job_create(kind="test", title="导出", owner=world.users.bureau_admin).uuid]


def enterprise_file(world):
    upload = SimpleUploadedFile("营业执照.pdf", PDF, content_type="application/pdf")
    attachment = attachment_store(uploaded=upload, owner=world.orgs.enterprise, purpose="licence",
                                  by=world.users.org_admin, allowed=DOCUMENTS)
    return [attachment.uuid]


ADMIN_ONLY = {"bureau_admin": 200}
NOT_ADMIN = {"public": 302, "bureau_officer": 403, "enterprise_user": 403}

ACCESS_CASES = [
    AccessCase("core:home", allowed=dict.fromkeys(PERSONAS, 200), denied={}),
    AccessCase("core:health", allowed={"public": 200}, denied={}),
    AccessCase("core:set_language", method="post", data=lambda w: {"language": "en", "next": "/"},
               allowed={"public": 302, "bureau_admin": 302}, denied={}),
    AccessCase("core:notifications", allowed=dict.fromkeys(SIGNED_IN_PERSONAS, 200), denied={"public": 302}),
    AccessCase("core:notifications_mark_read", method="post", allowed={"enterprise_user": 302},
               denied={"public": 302}),
    AccessCase("core:notification_bell", allowed={"enterprise_user": 200}, denied={"public": 302}),
    AccessCase("core:job", args=admin_job, allowed={"bureau_admin": 200},
               denied={"public": 302, "bureau_officer": 404, "enterprise_user": 404}),
    AccessCase("core:job_status", args=admin_job, allowed={"bureau_admin": 200},
               denied={"public": 302, "bureau_officer": 404}),
    AccessCase("core:attachment_download", args=enterprise_file,
               allowed={"org_admin": 200, "enterprise_user": 200, "bureau_officer": 200, "bureau_admin": 200},
               denied={"public": 302, "institute_user": 404, "expert": 404, "finance_officer": 404}),
    AccessCase("core:audit_log", allowed=ADMIN_ONLY, denied=everyone_but({"bureau_admin"}, 403) | {"public": 302}),
    AccessCase("core:audit_log_export", method="post", allowed=ADMIN_ONLY, denied=NOT_ADMIN),
    AccessCase("core:reference_index", allowed=ADMIN_ONLY, denied=NOT_ADMIN),
    AccessCase("core:reference_table", args=lambda w: ["districts"], allowed=ADMIN_ONLY, denied=NOT_ADMIN),
    AccessCase("core:reference_create", args=lambda w: ["industry-chains"], allowed=ADMIN_ONLY, denied=NOT_ADMIN),
    AccessCase("core:reference_edit", args=lambda w: ["districts", 1], allowed=ADMIN_ONLY, denied=NOT_ADMIN),
    AccessCase("core:import", args=lambda w: ["achievements"],
               allowed={"institute_user": 200, "bureau_officer": 200, "org_admin": 200},
               denied={"public": 302}),
    AccessCase("core:import", args=lambda w: ["demands"], allowed={"org_admin": 200, "bureau_officer": 200},
               denied={"public": 302, "institute_user": 404, "expert": 404}),
    AccessCase("core:import", args=lambda w: ["funded-projects"], allowed={"bureau_officer": 200},
               denied={"institute_user": 404, "broker": 404}),
    AccessCase("core:import_template", args=lambda w: ["achievements"], allowed={"institute_user": 200},
               denied={"public": 302}),
    AccessCase("core:import_template", args=lambda w: ["demands"], allowed={"org_admin": 200},
               denied={"institute_user": 404}),
    AccessCase("core:export", args=lambda w: ["achievements"], allowed={"enterprise_user": 302},
               denied={"public": 302}),
    AccessCase("core:export", args=lambda w: ["nothing"], allowed={}, denied={"enterprise_user": 404}),
    AccessCase("api:notification_list", allowed={"enterprise_user": 200}, denied={"public": 401}),
    AccessCase("api:notifications_mark_read", method="post", data=lambda w: {}, content_type="application/json",
               allowed={"enterprise_user": 200}, denied={"public": 401}),
    AccessCase("api:openapi-json", allowed={"public": 200}, denied={}),
    AccessCase("api:openapi-view", allowed={"public": 200}, denied={}),
    AccessCase("api:api-root", allowed={"public": 404}, denied={}),
]


@pytest.mark.parametrize(("case", "persona", "status"), access_params(ACCESS_CASES))
def test_access(case, persona, status, world, client_for):
    check_access(client_for, world, case, persona, status)
