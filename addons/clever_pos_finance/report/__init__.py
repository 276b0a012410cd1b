from . import clever_finance_report_mixin
from . import clever_finance_sales_report
from . import clever_finance_payment_report
from . import clever_finance_vat_report
from . import clever_finance_shift_report
from . import clever_finance_debt_report
from . import clever_finance_supplier_report
from . import clever_finance_stock_value_report
