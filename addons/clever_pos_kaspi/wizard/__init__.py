from . import clever_kaspi_offer_bulk_wizard
from . import clever_kaspi_store_delete_wizard
from . import clever_kaspi_product_status_wizard
