from . import clever_pos_z_report
