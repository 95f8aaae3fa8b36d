from kechuang.core.workflow import Workflow
from kechuang.instruments.choices import BookingStatus as Slot
from kechuang.instruments.choices import OrderStatus as Order

BOOKING_WORKFLOW = Workflow(
    {
        "confirm": ({Slot.PENDING}, Slot.CONFIRMED),
        "decline": ({Slot.PENDING}, Slot.DECLINED),
        "cancel": ({Slot.PENDING, Slot.CONFIRMED}, Slot.CANCELLED),
        "complete": ({Slot.CONFIRMED}, Slot.COMPLETED),
    }
)

ORDER_WORKFLOW = Workflow(
    {
        "accept": ({Order.REQUESTED}, Order.ACCEPTED),
        "decline": ({Order.REQUESTED}, Order.DECLINED),
        "complete": ({Order.ACCEPTED}, Order.COMPLETED),
    }
)
