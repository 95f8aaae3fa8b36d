from kechuang.accounts.choices import OrganizationStatus as Status
from kechuang.core.workflow import Workflow

ORGANIZATION_WORKFLOW = Workflow(
    {
        "verify": ({Status.PENDING}, Status.VERIFIED),
        "reject": ({Status.PENDING}, Status.REJECTED),
        "resubmit": ({Status.REJECTED}, Status.PENDING),
    }
)
