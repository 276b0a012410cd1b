from . import controllers
from . import models
from . import wizard
from . import tools
from .hooks import post_init_hook, pre_init_hook
from .tools.i18n_core import post_load
