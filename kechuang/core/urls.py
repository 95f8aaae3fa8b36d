from django.urls import path

from kechuang.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_mark_read, name="notifications_mark_read"),
    path("notifications/bell/", views.notification_bell, name="notification_bell"),
    path("jobs/<uuid:job_uuid>/", views.job_page, name="job"),
    path("jobs/<uuid:job_uuid>/status/", views.job_status, name="job_status"),
    path("files/<uuid:attachment_uuid>/", views.attachment_download, name="attachment_download"),
    path("import/<slug:library>/", views.import_sheet_page, name="import"),
    path("import/<slug:library>/template/", views.import_template, name="import_template"),
    path("export/<slug:library>/", views.export_sheet, name="export"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export/", views.audit_log_export, name="audit_log_export"),
    path("reference/", views.reference_index, name="reference_index"),
    path("reference/<slug:table>/", views.reference_table, name="reference_table"),
    path("reference/<slug:table>/new/", views.reference_edit, name="reference_create"),
    path("reference/<slug:table>/<int:pk>/", views.reference_edit, name="reference_edit"),
]
