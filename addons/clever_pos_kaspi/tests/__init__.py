from . import test_store
from . import test_offer
from . import test_readiness
from . import test_feed
from . import test_feed_http
