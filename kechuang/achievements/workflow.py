from kechuang.achievements.choices import AchievementStatus as Status
from kechuang.core.workflow import Workflow

ACHIEVEMENT_WORKFLOW = Workflow(
    {
        "submit": ({Status.DRAFT, Status.RETURNED}, Status.SUBMITTED),
        "publish": ({Status.SUBMITTED}, Status.PUBLISHED),
        "return": ({Status.SUBMITTED}, Status.RETURNED),
        "withdraw": ({Status.PUBLISHED}, Status.WITHDRAWN),
        "reopen": ({Status.WITHDRAWN}, Status.DRAFT),
    }
)

EDITABLE = frozenset({Status.DRAFT, Status.RETURNED, Status.PUBLISHED})
