from odoo import fields, models


class CleverBulkPriceWizardLine(models.TransientModel):
    _name = "clever.bulk.price.wizard.line"
    _description = "Bulk price change preview line"
    _order = "product_tmpl_id"

    wizard_id = fields.Many2one("clever.bulk.price.wizard", required=True, ondelete="cascade")
    product_tmpl_id = fields.Many2one("product.template", string="Product", required=True, readonly=True)
    default_code = fields.Char(related="product_tmpl_id.default_code", string="SKU")
    currency_id = fields.Many2one(related="product_tmpl_id.currency_id")
    old_price = fields.Monetary(string="Old price", readonly=True)
    new_price = fields.Monetary(string="New price")
    difference = fields.Monetary(compute="_compute_difference")

    def _compute_difference(self):
        for line in self:
            line.difference = line.new_price - line.old_price
