from . import test_expense
from . import test_transfer
from . import test_debt
from . import test_reconciliation
from . import test_dashboard
from . import test_dashboard_ui
from . import test_access
from . import test_pos_repayment_tour
