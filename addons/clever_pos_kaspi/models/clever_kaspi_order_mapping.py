from odoo import Command, api, fields, models


class CleverKaspiOrderMapping(models.Model):
    """Which of our products a Kaspi offer SKU is, for SKUs that neither an offer of the store
    nor a product's own SKU explains. Set once by a manager, used by every later order."""

    _name = "clever.kaspi.order.mapping"
    _description = "Kaspi offer mapping"
    _order = "store_id, offer_code"
    _rec_name = "offer_code"
    _check_company_auto = True

    store_id = fields.Many2one("clever.kaspi.store", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="store_id.company_id", store=True, index=True)
    offer_code = fields.Char(string="Kaspi offer SKU", required=True)
    offer_name = fields.Char(string="Kaspi offer")
    product_id = fields.Many2one("product.product", required=True, check_company=True, ondelete="restrict")

    _offer_unique = models.Constraint("UNIQUE(store_id, offer_code)", "This Kaspi offer is already mapped in the store.")

    @api.model_create_multi
    def create(self, vals_list):
        mappings = super().create(vals_list)
        mappings._apply_to_orders()
        return mappings

    def write(self, vals):
        result = super().write(vals)
        if {"product_id", "offer_code", "store_id"} & vals.keys():
            self._apply_to_orders()
        return result

    def _apply_to_orders(self):
        """Turn the unmapped lines of the store's open Kaspi orders into product lines; an order
        Kaspi already accepted is confirmed once nothing is left to map."""
        Line = self.env["sale.order.line"].sudo()
        touched = self.env["sale.order"].sudo()
        for mapping in self:
            lines = Line.search(
                [
                    ("kaspi_needs_mapping", "=", True),
                    ("kaspi_offer_code", "=", mapping.offer_code),
                    ("order_id.kaspi_store_id", "=", mapping.store_id.id),
                    ("order_id.state", "in", ("draft", "sent", "sale")),
                ]
            )
            for line in lines:
                order = line.order_id
                touched |= order
                order.write(
                    {
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": mapping.product_id.id,
                                    "product_uom_qty": line.kaspi_quantity,
                                    "price_unit": line.kaspi_price,
                                    "sequence": line.sequence,
                                    "kaspi_entry_id": line.kaspi_entry_id,
                                    "kaspi_offer_code": line.kaspi_offer_code,
                                    "kaspi_offer_name": line.kaspi_offer_name,
                                    "kaspi_quantity": line.kaspi_quantity,
                                    "kaspi_price": line.kaspi_price,
                                }
                            ),
                            Command.unlink(line.id),
                        ]
                    }
                )
        ready = touched.filtered(
            lambda o: o.state in ("draft", "sent")
            and not o.kaspi_needs_mapping
            and o.kaspi_status in ("ACCEPTED_BY_MERCHANT", "COMPLETED")
        )
        if ready:
            ready._kaspi_on_status({order.id: "APPROVED_BY_BANK" for order in ready})
