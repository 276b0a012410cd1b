from . import clever_finance_day_close
from . import clever_finance_report_wizard
