from odoo import fields, models
from odoo.exceptions import UserError


class CleverWarehouseShiftMixin(models.AbstractModel):
    """A stock document validated in a warehouse shift: it records the shift of the user who
    validates it, and a store keeper cannot validate it without one when the company asks so."""

    _name = "clever.warehouse.shift.mixin"
    _description = "Document of a warehouse shift"

    warehouse_shift_id = fields.Many2one(
        "clever.warehouse.shift", string="Warehouse shift", readonly=True, copy=False, index="btree_not_null"
    )

    def _clever_shift_warehouse(self):
        """The warehouse the document works in (to override)."""
        self.ensure_one()
        return self.env["stock.warehouse"]

    def _clever_take_warehouse_shift(self):
        """Record the current user's open shift on each document; refuse a store keeper who has
        none when the company requires it. Called when the document is validated."""
        Shift = self.env["clever.warehouse.shift"]
        for document in self:
            warehouse = document._clever_shift_warehouse()
            company = document.company_id or self.env.company
            shift = Shift._current(warehouse, company)
            if not shift:
                if Shift._is_required(company):
                    raise UserError(
                        self.env._(
                            "Open your warehouse shift in %(warehouse)s before validating %(document)s "
                            "(Clever POS > Shift history > My warehouse shift).",
                            warehouse=warehouse.name or company.name,
                            document=document.display_name,
                        )
                    )
                continue
            if document.warehouse_shift_id != shift:
                document.sudo().with_context(
                    clever_adjustment_internal=True, clever_receiving_internal=True
                ).warehouse_shift_id = shift
