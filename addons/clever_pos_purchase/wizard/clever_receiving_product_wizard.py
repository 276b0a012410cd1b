from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..models.clever_receiving_line import round_tenge


class CleverReceivingProductWizard(models.TransientModel):
    """A product met for the first time at receiving: created on the spot, barcode prefilled,
    and added to the receiving."""

    _name = "clever.receiving.product.wizard"
    _description = "New product at receiving"

    receiving_id = fields.Many2one("clever.receiving", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="receiving_id.company_id")
    barcode = fields.Char(required=True)
    name = fields.Char(required=True)
    default_code = fields.Char(string="SKU")
    categ_id = fields.Many2one("product.category", string="Category", required=True, default=lambda self: self.env.ref("product.product_category_goods", raise_if_not_found=False))
    uom_id = fields.Many2one("uom.uom", string="Unit", required=True, default=lambda self: self.env.ref("uom.product_uom_unit"))
    tracking = fields.Selection([("none", "No tracking"), ("lot", "By lot"), ("serial", "By serial number")], default="none", required=True)
    use_expiration_date = fields.Boolean(string="Has an expiry date")
    quantity = fields.Float(default=1.0, digits="Product Unit")
    price_unit = fields.Float(string="Purchase price", digits="Product Price")
    markup = fields.Float(string="Markup (%)", digits=(16, 2))
    sale_price = fields.Float(digits="Product Price")

    @api.onchange("categ_id")
    def _onchange_categ_id(self):
        if self.categ_id.clever_default_markup and not self.markup:
            self.markup = self.categ_id.clever_default_markup
            self._onchange_markup()

    @api.onchange("markup", "price_unit")
    def _onchange_markup(self):
        if self.price_unit:
            self.sale_price = round_tenge(self.price_unit * (1 + self.markup / 100.0))

    @api.onchange("sale_price")
    def _onchange_sale_price(self):
        if self.price_unit and self.sale_price:
            self.markup = (self.sale_price / self.price_unit - 1) * 100.0

    def action_create(self):
        self.ensure_one()
        receiving = self.receiving_id
        if receiving.state != "draft":
            raise UserError(self.env._("This receiving is already posted."))
        company = receiving.company_id
        product = (
            self.env["product.product"]
            .with_company(company)
            .create(
                {
                    "name": self.name,
                    "barcode": self.barcode.strip(),
                    "default_code": self.default_code or False,
                    "categ_id": self.categ_id.id,
                    "uom_id": self.uom_id.id,
                    "is_storable": True,
                    "tracking": self.tracking,
                    "use_expiration_date": self.use_expiration_date,
                    "list_price": round_tenge(self.sale_price),
                    "standard_price": self.price_unit,
                    "available_in_pos": True,
                    "company_id": company.id,
                    "taxes_id": [Command.set(company.account_sale_tax_id.ids)],
                    "supplier_taxes_id": [Command.set(company.account_purchase_tax_id.ids)],
                }
            )
        )
        receiving.write(
            {
                "unknown_barcode": False,
                "line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": self.quantity,
                            "price_unit": self.price_unit,
                            "sale_price": round_tenge(self.sale_price),
                            "sequence": len(receiving.line_ids) + 10,
                        }
                    )
                ],
            }
        )
        return {"type": "ir.actions.act_window_close"}
