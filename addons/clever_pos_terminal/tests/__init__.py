from . import test_server_guards
from . import test_shift
from . import test_pos_data
from . import test_tours
