from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "vrijuit.finance"
    label = "finance"
    verbose_name = _("Budget and reimbursements")

    def ready(self):
        from vrijuit.core import audit

        from .models import Allocation, BudgetSource, PaymentBatch, Statement

        audit.register(BudgetSource)
        audit.register(Allocation)
        audit.register(Statement, exclude=("created_at", "updated_at"))
        audit.register(PaymentBatch)
