from . import test_partner
