from django.db import models
from django.utils.translation import gettext_lazy as _


class AchievementForm(models.TextChoices):
    INVENTION_PATENT = "invention_patent", _("Invention patent")
    UTILITY_MODEL = "utility_model", _("Utility model")
    DESIGN = "design", _("Industrial design")
    SOFTWARE = "software", _("Software copyright")
    PLANT_VARIETY = "plant_variety", _("New plant variety")
    PROCESS = "process", _("New process")
    PRODUCT = "product", _("New product")
    STANDARD = "standard", _("Technical standard")
    OTHER = "other", _("Other")


class TransferMode(models.TextChoices):
    ASSIGNMENT = "assignment", _("Assignment")
    LICENCE = "licence", _("Licence")
    EQUITY = "equity", _("Equity investment")
    JOINT = "joint", _("Joint development")
    OTHER = "other", _("Other")


class AchievementSource(models.TextChoices):
    SELF = "self", _("Self-registered")
    FUNDED = "funded", _("Result of a funded project")
    IMPORT = "import", _("Imported")


class AchievementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The statuses in the full-text and matching indexes (other apps read them, so they live here).
INDEXED = frozenset({AchievementStatus.PUBLISHED})


def choice_labels(choices_class, values) -> list[str]:
    labels = dict(choices_class.choices)
    return [str(labels.get(value, value)) for value in values]
