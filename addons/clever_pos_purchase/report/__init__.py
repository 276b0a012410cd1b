from . import clever_purchase_price_history
