from kechuang.core.workflow import Workflow
from kechuang.demands.choices import DemandStatus as Status

DEMAND_WORKFLOW = Workflow(
    {
        "submit": ({Status.DRAFT, Status.RETURNED}, Status.SUBMITTED),
        "publish": ({Status.SUBMITTED}, Status.PUBLISHED),
        "return": ({Status.SUBMITTED}, Status.RETURNED),
        "start_matchmaking": ({Status.PUBLISHED}, Status.MATCHMAKING),
        "solve": ({Status.PUBLISHED, Status.MATCHMAKING}, Status.SOLVED),
        "expire": ({Status.PUBLISHED, Status.MATCHMAKING}, Status.EXPIRED),
        "withdraw": ({Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.PUBLISHED, Status.MATCHMAKING},
                     Status.WITHDRAWN),
    }
)

EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
