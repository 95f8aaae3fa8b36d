from kechuang.core.workflow import Workflow
from kechuang.matching.choices import CaseStatus as Status

CASE_WORKFLOW = Workflow(
    {
        "accept": ({Status.INTENT}, Status.ACCEPTED),
        "decline": ({Status.INTENT}, Status.DECLINED),
        "sign": ({Status.ACCEPTED}, Status.SIGNED),
        "close": ({Status.INTENT, Status.ACCEPTED}, Status.CLOSED),
    }
)
