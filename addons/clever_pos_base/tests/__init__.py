from . import test_approval
from . import test_approval_pages
from . import test_approval_tour
from . import test_localisation
from . import test_login
from . import test_partner
from . import test_product
from . import test_roles
