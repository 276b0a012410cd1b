from odoo import models

from ..tools.stock_guard import check_may_change_stock


class StockScrap(models.Model):
    _inherit = "stock.scrap"

    def do_scrap(self):
        # A write-off is an adjustment with the reason "write-off" for everybody but administrators.
        check_may_change_stock(self.env)
        return super().do_scrap()
