from kechuang.core.workflow import Workflow
from kechuang.vouchers.choices import SettlementStatus as Claim
from kechuang.vouchers.choices import VoucherStatus as Status

VOUCHER_WORKFLOW = Workflow(
    {
        "issue": ({Status.APPLIED}, Status.ISSUED),
        "reject": ({Status.APPLIED}, Status.REJECTED),
        "expire": ({Status.ISSUED}, Status.EXPIRED),
    }
)

SETTLEMENT_WORKFLOW = Workflow(
    {
        "pay": ({Claim.REQUESTED}, Claim.PAID),
        "reject": ({Claim.REQUESTED}, Claim.REJECTED),
    }
)
