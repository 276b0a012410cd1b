from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import groupby

from ..tools.stock_guard import check_may_change_stock, has_pass, with_pass


class StockQuant(models.Model):
    _name = "stock.quant"
    _inherit = ["stock.quant", "clever.cost.guard"]

    # The value of a quant is a cost: hidden from cashiers and couriers like the cost itself.
    _clever_cost_fields = ("value",)

    # Odoo shows the value to stock managers only; store keepers, accountants and managers of
    # Clever POS see costs too.
    value = fields.Monetary(groups="stock.group_stock_manager,clever_pos_base.group_clever_cost")

    # ------------------------------------------------------------------
    # The guard: quantities change by hand only through an adjustment document
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if any("quantity" in vals for vals in vals_list):
            check_may_change_stock(self.env)
        return super().create(vals_list)

    def write(self, vals):
        if "quantity" in vals:
            check_may_change_stock(self.env)
        return super().write(vals)

    def _apply_inventory(self, date=None):
        # Physical Inventory "Apply", the product's on-hand field, deleting a quant, the
        # conflict wizard: all of them end here.
        check_may_change_stock(self.env)
        return super()._apply_inventory(date)

    @api.model
    def _update_available_quantity(self, *args, **kwargs):
        # The normal flows (receipts, deliveries, POS sales, returns) update quants here, once
        # their stock moves are done.
        return super(StockQuant, with_pass(self))._update_available_quantity(*args, **kwargs)

    def _get_inventory_move_values(self, qty, location_id, location_dest_id, package_id=False, package_dest_id=False):
        values = super()._get_inventory_move_values(qty, location_id, location_dest_id, package_id=package_id, package_dest_id=package_dest_id)
        line_id = self.env.context.get("clever_adjustment_line_id")
        if line_id and has_pass(self.env):
            line = self.env["clever.stock.adjustment.line"].browse(line_id)
            values.update(
                {
                    "clever_adjustment_id": line.adjustment_id.id,
                    "clever_adjustment_line_id": line.id,
                    "clever_reason_id": line.reason_id.id,
                }
            )
        return values

    def action_clever_make_adjustment(self):
        """Counted quantities of Odoo's counting screen become a draft adjustment document."""
        counted = self.filtered(lambda q: q.inventory_quantity_set and q.location_id.usage == "internal")
        if not counted:
            raise UserError(self.env._("Set counted quantities first."))
        adjustments = self.env["clever.stock.adjustment"]
        Reason = self.env["clever.stock.adjustment.reason"]
        shortage = Reason.search([("code", "=", "shortage_count")], limit=1)
        found = Reason.search([("code", "=", "found")], limit=1)
        for (company, location), quants in groupby(counted, key=lambda q: (q.company_id, q.location_id)):
            quants = self.browse().concat(*quants)
            adjustments |= adjustments.with_company(company).create(
                {
                    "company_id": company.id,
                    "location_id": location.id,
                    "line_ids": [
                        Command.create(
                            {
                                "product_id": quant.product_id.id,
                                "lot_id": quant.lot_id.id,
                                "input_mode": "counted",
                                "counted_qty": quant.inventory_quantity,
                                "reason_id": (found if quant.inventory_diff_quantity > 0 else shortage).id,
                            }
                        )
                        for quant in quants
                    ],
                }
            )
        counted.action_clear_inventory_quantity()
        action = self.env["ir.actions.act_window"]._for_xml_id("clever_pos_stock.clever_stock_adjustment_action")
        action["domain"] = [("id", "in", adjustments.ids)]
        if len(adjustments) == 1:
            action.update({"res_id": adjustments.id, "views": [(False, "form")], "view_mode": "form"})
        return action
