from . import kz_validation
