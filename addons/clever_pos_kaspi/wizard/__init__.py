from . import clever_kaspi_offer_bulk_wizard
from . import clever_kaspi_store_delete_wizard
from . import clever_kaspi_product_status_wizard
from . import clever_kaspi_order_cancel_wizard
from . import clever_kaspi_order_assemble_wizard
from . import clever_kaspi_order_complete_wizard
from . import clever_kaspi_order_mapping_wizard
from . import clever_kaspi_order_mapping_wizard_line
