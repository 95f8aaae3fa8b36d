from django.db import models
from django.utils.translation import gettext_lazy as _


class ChallengeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for solver teams")
    RACING = "racing", _("Parallel track under way")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


class StageDecision(models.TextChoices):
    CONTINUE = "continue", _("Continue")
    ELIMINATE = "eliminate", _("Eliminate")
    MERGE = "merge", _("Merge into another team")
