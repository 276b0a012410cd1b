from . import clever_receiving
from . import clever_receiving_line
from . import clever_warehouse_shift
from . import product_category
