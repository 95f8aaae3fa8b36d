import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_token_expiry_and_password_stamp")]

    operations = [
        migrations.RemoveField(model_name="user", name="failed_logins"),
        migrations.RemoveField(model_name="user", name="locked_until"),
        migrations.CreateModel(
            name="SignInThrottle",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("address", models.CharField(max_length=45)),
                ("account", models.CharField(blank=True, max_length=80)),
                ("failures", models.PositiveIntegerField(default=0)),
                ("last_failure_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("blocked_until", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("address", "account"), name="one_throttle_per_key")
                ],
            },
        ),
    ]
