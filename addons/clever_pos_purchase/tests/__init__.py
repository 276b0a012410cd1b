from . import test_receiving
from . import test_receiving_lots
from . import test_receiving_access
from . import test_receiving_shift
from . import test_receiving_tour
from . import test_receiving_price_tags
