from . import clever_delivery_outcome
from . import clever_price_tag_wizard
from . import product_label_layout
