from . import clever_price_tag_report
