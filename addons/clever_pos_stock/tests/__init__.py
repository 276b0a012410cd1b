from . import test_adjustment
from . import test_guard
from . import test_count
from . import test_history
from . import test_min_stock
from . import test_costing
from . import test_access
from . import test_adjustment_tour
