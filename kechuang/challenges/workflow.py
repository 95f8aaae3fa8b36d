from kechuang.challenges.choices import ChallengeStatus as Race
from kechuang.core.workflow import Workflow

CHALLENGE_WORKFLOW = Workflow(
    {
        "publish": ({Race.DRAFT}, Race.OPEN),
        "select": ({Race.OPEN}, Race.RACING),
        "finish": ({Race.RACING}, Race.FINISHED),
        "cancel": ({Race.DRAFT, Race.OPEN}, Race.CANCELLED),
    }
)
