from odoo import models


class CleverBrand(models.Model):
    _inherit = "clever.brand"

    def write(self, vals):
        result = super().write(vals)
        if "name" in vals:
            self.env.cr.execute(
                """
                INSERT INTO clever_kaspi_feed_change (store_id, changed_at)
                SELECT DISTINCT o.store_id, now() AT TIME ZONE 'UTC'
                  FROM clever_kaspi_offer o
                  JOIN product_product pp ON pp.id = o.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE pt.brand_id = ANY(%s) AND o.state = 'active'
                """,
                [self.ids],
            )
        return result
