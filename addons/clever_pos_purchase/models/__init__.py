from . import clever_receiving
from . import clever_receiving_line
from . import product_category
