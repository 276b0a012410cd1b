from odoo import api, fields, models


class PosConfig(models.Model):
    _inherit = "pos.config"

    # Stock Odoo sends every pos.config field to the browser (pos.config has no field list for
    # the POS): nothing secret may ever be added here.
    clever_till = fields.Boolean(
        string="Clever POS controls",
        help="Shift opening and closing, sales on debt, returns, big cash outs and discounts over "
        "the cashier's limit need a manager's approval, checked by the server.",
    )
    clever_max_discount = fields.Float(
        string="Cashier discount limit (%)",
        default=10.0,
        help="Line and order discounts up to this percentage need no approval; a cashier's own "
        "limit (user settings) takes precedence.",
    )
    clever_favorite_product_ids = fields.Many2many(
        "product.product",
        "clever_pos_config_favorite_product_rel",
        string="Quick-access products",
        domain=[("available_in_pos", "=", True)],
        help="Shown as buttons above the product list of this register.",
    )
    clever_free_line = fields.Boolean(
        string="Free-text lines", help="The cashier may sell a line with a typed name, VAT rate and price."
    )
    clever_free_product_ids = fields.Many2many(
        "product.product",
        "clever_pos_config_free_product_rel",
        string="Free-text line products",
        help="One product per VAT rate; its taxes give the VAT of a free-text line.",
    )

    @api.model
    def _load_pos_data_read(self, records, config):
        read_records = super()._load_pos_data_read(records, config)
        if read_records and config.clever_till and self.env.user.has_group("point_of_sale.group_pos_user"):
            # Stock Odoo shows cash in/out only to the Invoicing group; a cashier does it here
            # without accounting rights (the server checks and books it, see pos.session).
            read_records[0]["_has_cash_move_perm"] = True
        return read_records

    def _clever_special_products(self):
        """Products that are no goods sold to somebody: tips, discounts, free-text lines."""
        return self.env["pos.config"]._get_special_products() | self.clever_free_product_ids | self.discount_product_id
