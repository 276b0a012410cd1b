from . import clever_bulk_price_wizard
from . import clever_bulk_price_wizard_line
