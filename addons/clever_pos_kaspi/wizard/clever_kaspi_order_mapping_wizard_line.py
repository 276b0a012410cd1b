from odoo import fields, models


class CleverKaspiOrderMappingWizardLine(models.TransientModel):
    _name = "clever.kaspi.order.mapping.wizard.line"
    _description = "Kaspi offer to map"

    wizard_id = fields.Many2one("clever.kaspi.order.mapping.wizard", required=True, ondelete="cascade")
    offer_code = fields.Char(string="Kaspi offer SKU", readonly=True)
    offer_name = fields.Char(string="Kaspi offer", readonly=True)
    company_id = fields.Many2one(related="wizard_id.order_id.company_id")
    product_id = fields.Many2one("product.product", domain="[('company_id', 'in', [False, company_id])]")
