from . import test_store
from . import test_offer
from . import test_readiness
from . import test_feed
from . import test_feed_http
from . import test_kaspi_orders
from . import test_kaspi_orders_feed
from . import test_order_channel_report
