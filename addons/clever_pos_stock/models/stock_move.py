from collections import defaultdict

from odoo import api, fields, models

MOVE_KINDS = [
    ("sale", "Sale"),
    ("return", "Customer return"),
    ("receipt", "Receipt"),
    ("supplier_return", "Return to supplier"),
    ("adjustment", "Adjustment"),
    ("scrap", "Write-off"),
    ("transfer", "Transfer"),
    ("other", "Other"),
]


class StockMove(models.Model):
    _inherit = "stock.move"

    clever_reason_id = fields.Many2one("clever.stock.adjustment.reason", string="Reason", readonly=True, index="btree_not_null")
    clever_adjustment_id = fields.Many2one("clever.stock.adjustment", string="Adjustment", readonly=True, index="btree_not_null")
    clever_adjustment_line_id = fields.Many2one("clever.stock.adjustment.line", string="Adjustment line", readonly=True, index="btree_not_null")
    clever_move_kind = fields.Selection(
        MOVE_KINDS,
        string="Document type",
        compute="_compute_clever_move_kind",
        store=True,
        index=True,
    )
    clever_done_by_id = fields.Many2one("res.users", string="Done by", readonly=True, copy=False)
    clever_qty_before = fields.Float(string="Stock before", readonly=True, copy=False, digits="Product Unit")
    clever_qty_after = fields.Float(string="Stock after", readonly=True, copy=False, digits="Product Unit")
    clever_signed_qty = fields.Float(string="Change", readonly=True, copy=False, digits="Product Unit", help="Effect on the shop's stock, in the product's unit.")

    @api.depends("location_id.usage", "location_dest_id.usage", "is_inventory", "scrap_id")
    def _compute_clever_move_kind(self):
        for move in self:
            source, destination = move.location_id.usage, move.location_dest_id.usage
            if move.is_inventory:
                kind = "adjustment"
            elif move.scrap_id or destination == "inventory":
                kind = "scrap"
            elif source == "supplier":
                kind = "receipt"
            elif destination == "supplier":
                kind = "supplier_return"
            elif source == "customer":
                kind = "return"
            elif destination == "customer":
                kind = "sale"
            elif source == "internal" and destination == "internal":
                kind = "transfer"
            else:
                kind = "other"
            move.clever_move_kind = kind

    def _clever_stock_effect(self):
        """Signed quantity this move adds to the stock of its company, in the product's unit."""
        self.ensure_one()
        qty = self.product_uom._compute_quantity(self.quantity, self.product_id.uom_id, rounding_method="HALF-UP")
        source_in = self.location_id.usage == "internal"
        destination_in = self.location_dest_id.usage == "internal"
        if source_in == destination_in:
            return 0.0
        return qty if destination_in else -qty

    def _clever_on_hand(self, products, companies):
        groups = self.env["stock.quant"].sudo()._read_group(
            [("product_id", "in", products.ids), ("company_id", "in", companies.ids), ("location_id.usage", "=", "internal")],
            ["product_id", "company_id"],
            ["quantity:sum"],
        )
        return {(product.id, company.id): quantity for product, company, quantity in groups}

    def _action_done(self, cancel_backorder=False):
        storable = self.filtered(lambda m: m.product_id.is_storable)
        before = self._clever_on_hand(storable.product_id, storable.company_id) if storable else {}
        done = super()._action_done(cancel_backorder=cancel_backorder)
        done_storable = done.filtered(lambda m: m.state == "done" and m.product_id.is_storable)
        if done_storable:
            running = defaultdict(float, before)
            user = self.env.user
            for move in done_storable.sorted("id"):
                key = (move.product_id.id, move.company_id.id)
                effect = move._clever_stock_effect()
                qty_before = running[key]
                running[key] = qty_before + effect
                move.write(
                    {
                        "clever_done_by_id": user.id,
                        "clever_qty_before": qty_before,
                        "clever_qty_after": running[key],
                        "clever_signed_qty": effect,
                    }
                )
            Orderpoint = self.env["stock.warehouse.orderpoint"].sudo()
            for company in done_storable.company_id:
                moves = done_storable.filtered(lambda m, c=company: m.company_id == c)
                Orderpoint._clever_check_products(moves.product_id, company)
        return done
