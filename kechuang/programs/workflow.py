from kechuang.core.workflow import Workflow
from kechuang.programs.choices import ApplicationStatus as Status
from kechuang.programs.choices import AssignmentStatus as Seat
from kechuang.programs.choices import MilestoneStatus as Step
from kechuang.programs.choices import ProjectStatus as Stage

APPLICATION_WORKFLOW = Workflow(
    {
        "submit": ({Status.DRAFT, Status.RETURNED}, Status.SUBMITTED),
        "pass": ({Status.SUBMITTED}, Status.ELIGIBLE),
        "return": ({Status.SUBMITTED}, Status.RETURNED),
        "reject": ({Status.SUBMITTED}, Status.INELIGIBLE),
        "start_review": ({Status.ELIGIBLE}, Status.IN_REVIEW),
        "award": ({Status.IN_REVIEW}, Status.AWARDED),
        "decline": ({Status.IN_REVIEW}, Status.NOT_AWARDED),
        "withdraw": ({Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.ELIGIBLE}, Status.WITHDRAWN),
    }
)

# Drafts and returned applications are the applicant's to edit.
EDITABLE = (Status.DRAFT, Status.RETURNED)

ASSIGNMENT_WORKFLOW = Workflow(
    {
        "invite": ({Seat.PROPOSED}, Seat.INVITED),
        "accept": ({Seat.INVITED}, Seat.ACCEPTED),
        "decline": ({Seat.INVITED}, Seat.DECLINED),
        "submit": ({Seat.ACCEPTED}, Seat.SUBMITTED),
    }
)

PROJECT_WORKFLOW = Workflow(
    {
        "start_acceptance": ({Stage.ACTIVE}, Stage.ACCEPTANCE),
        "accept": ({Stage.ACCEPTANCE}, Stage.ACCEPTED),
        "fail": ({Stage.ACCEPTANCE}, Stage.FAILED),
        "close": ({Stage.ACCEPTED, Stage.FAILED}, Stage.CLOSED),
        # a parallel-track team eliminated or merged after a phase
        "stop": ({Stage.ACTIVE}, Stage.CLOSED),
    }
)

MILESTONE_WORKFLOW = Workflow(
    {
        "report": ({Step.PENDING, Step.NEEDS_WORK}, Step.REPORTED),
        "pass": ({Step.REPORTED}, Step.PASSED),
        "rework": ({Step.REPORTED}, Step.NEEDS_WORK),
    }
)
