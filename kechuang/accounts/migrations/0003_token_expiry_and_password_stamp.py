from datetime import timedelta

from django.conf import settings
from django.db import migrations, models
from django.utils.crypto import salted_hmac

# AbstractBaseUser.get_session_auth_hash, which historical models do not have.
SESSION_HASH_SALT = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"


def stamp_existing_tokens(apps, schema_editor):
    """Tokens made before this change keep working until the lifetime counted from their creation
    runs out, or until their user's password changes."""
    AccessToken = apps.get_model("accounts", "AccessToken")
    lifetime = timedelta(days=settings.KECHUANG_TOKEN_LIFETIME_DAYS)
    for token in AccessToken.objects.select_related("user"):
        token.expires_at = token.created_at + lifetime
        token.password_stamp = salted_hmac(SESSION_HASH_SALT, token.user.password, algorithm="sha256").hexdigest()
        token.save(update_fields=["expires_at", "password_stamp"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]

    operations = [
        migrations.AddField(
            model_name="accesstoken", name="password_stamp",
            field=models.CharField(default="", editable=False, max_length=64), preserve_default=False,
        ),
        migrations.AddField(
            model_name="accesstoken", name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires"),
        ),
        migrations.RunPython(stamp_existing_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="accesstoken", name="expires_at", field=models.DateTimeField(verbose_name="expires"),
        ),
    ]
