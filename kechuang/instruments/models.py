"""Large research instruments (大型科研仪器) open for shared use: the registry, bookings of time,
sample-testing orders, usage records and ratings."""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.models import Organization
from kechuang.core.fields import (
    HOURS_CEILING,
    WAN_YUAN,
    WAN_YUAN_CEILING,
    BoundedDateField,
    BoundedDateTimeField,
    CountField,
    HoursField,
    MoneyField,
    SmallCountField,
    YearField,
)
from kechuang.core.models import BilingualLabel, EncryptedTextField
from kechuang.core.search import SearchIndex
from kechuang.instruments.choices import (
    BookingStatus,
    InstrumentStatus,
    Opinion,
    OrderStatus,
    PriceUnit,
    PurchaseStatus,
)
from kechuang.vouchers.models import Voucher

# Yuan per hour or per sample, and the cost of one booking or order.
PRICE_CEILING = Decimal("1000000")
COST_CEILING = Decimal("100000000")


class InstrumentCategory(BilingualLabel, models.Model):
    """The configurable classification of instruments (two levels)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = ["code"]
        verbose_name = _("instrument category")

    def __str__(self):
        return self.label


class Instrument(models.Model):
    name = models.CharField(_("name"), max_length=120)
    model_number = models.CharField(_("model"), max_length=80, blank=True)
    manufacturer = models.CharField(_("manufacturer"), max_length=120, blank=True)
    category = models.ForeignKey(InstrumentCategory, on_delete=models.PROTECT, related_name="instruments",
                                 verbose_name=_("category"))
    original_value = MoneyField(_("original value (10,000 yuan)"), unit=WAN_YUAN, high=WAN_YUAN_CEILING,
                                positive=True)
    purchased_on = BoundedDateField(_("purchase date"), null=True, blank=True)
    owner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="instruments",
                              verbose_name=_("owner organisation"))
    lab = models.CharField(_("laboratory"), max_length=120, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    specifications = models.TextField(_("technical specifications"), blank=True)
    sample_requirements = models.TextField(_("sample requirements"), blank=True)
    price_unit = models.CharField(_("charged"), max_length=6, choices=PriceUnit.choices, default=PriceUnit.HOUR)
    internal_price = MoneyField(_("internal price (yuan)"), high=PRICE_CEILING, default=0)
    external_price = MoneyField(_("external price (yuan)"), high=PRICE_CEILING, default=0)
    contact_name = models.CharField(_("contact person"), max_length=60, blank=True)
    contact_phone = EncryptedTextField(_("contact phone"), blank=True, default="")
    status = models.CharField(_("status"), max_length=12, choices=InstrumentStatus.choices,
                              default=InstrumentStatus.AVAILABLE, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(default=timezone.now, db_index=True)
    search_tokens = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("instrument")

    def __str__(self):
        return self.name


INSTRUMENT_INDEX = SearchIndex(table="instruments_instrument")


class Booking(models.Model):
    """A request for instrument time. Two bookings that hold their slot (pending or confirmed)
    never overlap: an exclusion constraint on PostgreSQL, a check inside the IMMEDIATE
    transaction on SQLite (migration 0003, services.booking_request)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="bookings")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="instrument_bookings")
    starts_at = BoundedDateTimeField(_("from"))
    ends_at = BoundedDateTimeField(_("until"))
    purpose = models.CharField(_("purpose"), max_length=300)
    voucher = models.ForeignKey(Voucher, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("pay partly with an innovation voucher"))
    status = models.CharField(_("status"), max_length=10, choices=BookingStatus.choices,
                              default=BookingStatus.PENDING)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    effective_hours = HoursField(_("effective hours"), null=True, blank=True)
    cost = MoneyField(_("cost (yuan)"), high=COST_CEILING, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after_start"),
            models.CheckConstraint(condition=~Q(status=BookingStatus.COMPLETED)
                                   | (Q(effective_hours__gte=0) & Q(cost__gte=0)), name="completed_booking_has_usage"),
        ]

    def __str__(self):
        return f"{self.instrument} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def external(self) -> bool:
        return self.organization_id != self.instrument.owner_id

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()


class ServiceOrder(models.Model):
    """Sample testing (送样检测) on an instrument."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="orders")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="instrument_orders")
    samples = CountField(_("number of samples"), low=1, high=10000)
    description = models.TextField(_("what to test"))
    voucher = models.ForeignKey(Voucher, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("pay partly with an innovation voucher"))
    status = models.CharField(_("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.REQUESTED)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    effective_hours = HoursField(_("effective hours"), null=True, blank=True)
    cost = MoneyField(_("cost (yuan)"), high=COST_CEILING, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(status=OrderStatus.COMPLETED)
                                   | (Q(effective_hours__gte=0) & Q(cost__gte=0)), name="completed_order_has_usage"),
        ]

    def __str__(self):
        return f"{self.instrument} · {self.samples}"

    @property
    def external(self) -> bool:
        return self.organization_id != self.instrument.owner_id


class Rating(models.Model):
    booking = models.OneToOneField(Booking, null=True, blank=True, on_delete=models.CASCADE, related_name="rating")
    order = models.OneToOneField(ServiceOrder, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="rating")
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="ratings")
    score = SmallCountField(_("score"), low=1, high=5)
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(booking__isnull=False) ^ Q(order__isnull=False),
                                   name="rating_of_one_service"),
        ]

    def __str__(self):
        return f"{self.instrument} {self.score}"


class WarningCatalogue(models.Model):
    """新购大型科研仪器预警目录: the year's categories where the city already has several instruments
    that are little used; purchases in them must justify themselves."""

    year = YearField(_("year"), unique=True)
    threshold_hours = CountField(_("low use: effective hours a year below"), low=1, high=int(HOURS_CEILING),
                                 default=1200)
    min_instruments = SmallCountField(_("at least this many instruments in the category"), low=1, high=1000,
                                      default=3)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("early-warning catalogue")

    def __str__(self):
        return f"{self.year}"


class WarningEntry(models.Model):
    catalogue = models.ForeignKey(WarningCatalogue, on_delete=models.CASCADE, related_name="entries")
    category = models.ForeignKey(InstrumentCategory, on_delete=models.PROTECT, related_name="+")
    instruments = models.PositiveIntegerField(_("instruments"))
    low_use = models.PositiveIntegerField(_("instruments below the threshold"))
    average_hours = models.DecimalField(_("average effective hours"), max_digits=9, decimal_places=1)

    class Meta:
        ordering = ["catalogue", "category__code"]
        constraints = [models.UniqueConstraint(fields=["catalogue", "category"], name="one_entry_per_category")]

    def __str__(self):
        return f"{self.catalogue} {self.category}"


class PurchaseApplication(models.Model):
    """查重评议: the justification for buying a large instrument, with the similar instruments the
    city already has."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="purchase_applications")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("instrument to buy"), max_length=120)
    category = models.ForeignKey(InstrumentCategory, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("category"))
    specifications = models.TextField(_("technical specifications"))
    value = MoneyField(_("estimated price (10,000 yuan)"), unit=WAN_YUAN, high=WAN_YUAN_CEILING, positive=True)
    justification = models.TextField(_("why the existing instruments are not enough"))
    status = models.CharField(_("status"), max_length=10, choices=PurchaseStatus.choices,
                              default=PurchaseStatus.SUBMITTED)
    flagged = models.BooleanField(_("category on the early-warning catalogue"), default=False)
    similar = models.JSONField(default=list, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("purchase application")

    def __str__(self):
        return self.name


class PurchaseReview(models.Model):
    application = models.ForeignKey(PurchaseApplication, on_delete=models.CASCADE, related_name="reviews")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opinion = models.CharField(_("opinion"), max_length=8, choices=Opinion.choices)
    comment = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "expert"], name="one_purchase_review_each")]

    def __str__(self):
        return f"{self.application} · {self.get_opinion_display()}"
