from . import clever_receiving_product_wizard
