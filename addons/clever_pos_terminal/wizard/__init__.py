from . import clever_proxy_pair_wizard
from . import clever_pos_config_import_wizard
