from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

MANAGER_GROUP = "clever_pos_base.group_clever_manager"
STOREKEEPER_GROUP = "clever_pos_base.group_clever_storekeeper"


class CleverWarehouseShift(models.Model):
    """A store keeper's shift in a warehouse: no cash register, only goods.

    Receivings, counts, adjustments and internal or incoming transfers validated while it is open
    record it, so the shop knows who did what and when. One open shift per user and warehouse;
    closing it records who closed it and when. Shifts are history and are never deleted.
    """

    _name = "clever.warehouse.shift"
    _description = "Warehouse shift"
    _inherit = ["mail.thread"]
    _order = "date_open desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", readonly=True, copy=False, default="/", index="trigram")
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company, index=True
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        required=True,
        check_company=True,
        index=True,
        default=lambda self: self._default_warehouse(),
        domain="[('company_id', '=', company_id)]",
    )
    user_id = fields.Many2one(
        "res.users", string="Store keeper", required=True, readonly=True, index=True, default=lambda self: self.env.user
    )
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")], default="open", required=True, readonly=True, tracking=True, index=True
    )
    date_open = fields.Datetime(string="Opened on", default=fields.Datetime.now, required=True, readonly=True)
    date_close = fields.Datetime(string="Closed on", readonly=True, copy=False)
    closed_by_id = fields.Many2one("res.users", string="Closed by", readonly=True, copy=False)
    note = fields.Text()
    adjustment_ids = fields.One2many("clever.stock.adjustment", "warehouse_shift_id", string="Adjustments", readonly=True)
    count_ids = fields.One2many("clever.stock.count", "warehouse_shift_id", string="Counts", readonly=True)
    picking_ids = fields.One2many("stock.picking", "warehouse_shift_id", string="Transfers", readonly=True)
    adjustment_count = fields.Integer(compute="_compute_document_counts")
    count_count = fields.Integer(string="Count count", compute="_compute_document_counts")
    picking_count = fields.Integer(compute="_compute_document_counts")

    _one_open_per_user = models.UniqueIndex(
        "(user_id, warehouse_id) WHERE state = 'open'",
        "This store keeper already has an open shift in this warehouse: close it first.",
    )

    @api.model
    def _default_warehouse(self):
        return self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)

    @api.depends("adjustment_ids", "count_ids", "picking_ids")
    def _compute_document_counts(self):
        for shift in self:
            shift.adjustment_count = len(shift.adjustment_ids)
            shift.count_count = len(shift.count_ids)
            shift.picking_count = len(shift.picking_ids)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("user_id", self.env.uid) != self.env.uid and not self.env.user.has_group(MANAGER_GROUP):
                raise AccessError(self.env._("A store keeper opens only their own shift."))
            self._check_no_open_shift(vals.get("user_id", self.env.uid), vals.get("warehouse_id"))
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("clever.warehouse.shift") or "/"
        return super().create(vals_list)

    def write(self, vals):
        locked = set(vals) - {"note", "message_main_attachment_id", "message_follower_ids"}
        if locked and not self.env.context.get("clever_warehouse_shift_internal"):
            raise UserError(self.env._("A warehouse shift cannot be changed; close it and open a new one."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Warehouse shifts are history and cannot be deleted."))

    @api.model
    def _check_no_open_shift(self, user_id, warehouse_id):
        # The unique index is the real guard; this gives the user a clear, translated message.
        if user_id and warehouse_id and self.sudo().search_count(
            [("user_id", "=", user_id), ("warehouse_id", "=", warehouse_id), ("state", "=", "open")], limit=1
        ):
            raise UserError(self.env._("You already have an open shift in this warehouse: close it first."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_close(self):
        for shift in self:
            if shift.state != "open":
                raise UserError(self.env._("%(name)s is already closed.", name=shift.name))
            if shift.user_id != self.env.user and not self.env.user.has_group(MANAGER_GROUP):
                raise AccessError(self.env._("Only the store keeper or a manager closes a warehouse shift."))
        self.with_context(clever_warehouse_shift_internal=True).write(
            {"state": "closed", "date_close": fields.Datetime.now(), "closed_by_id": self.env.user.id}
        )
        return True

    @api.model
    def action_my_shift(self):
        """Menu "My warehouse shift": the user's open shift, or a new one to open."""
        shift = self.search([("user_id", "=", self.env.uid), ("state", "=", "open")], limit=1)
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("My warehouse shift"),
            "res_model": self._name,
            "views": [(self.env.ref("clever_pos_stock.clever_warehouse_shift_view_form").id, "form")],
            "target": "current",
        }
        if shift:
            action["res_id"] = shift.id
        return action

    def _open_documents(self, model, name):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "views": [(False, "list"), (False, "form")],
            "domain": [("warehouse_shift_id", "=", self.id)],
            "context": {"create": False},
        }

    def action_view_adjustments(self):
        return self._open_documents("clever.stock.adjustment", self.env._("Adjustments"))

    def action_view_counts(self):
        return self._open_documents("clever.stock.count", self.env._("Counts"))

    def action_view_pickings(self):
        return self._open_documents("stock.picking", self.env._("Transfers"))

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    @api.model
    def _current(self, warehouse, company, user=None):
        """The open shift of the user (default: the current one) in this warehouse; without a
        warehouse, their open shift in the company, if only one is open."""
        user = user or self.env.user
        domain = [("user_id", "=", user.id), ("state", "=", "open"), ("company_id", "=", company.id)]
        if warehouse:
            return self.sudo().search(domain + [("warehouse_id", "=", warehouse.id)], limit=1).sudo(False)
        shifts = self.sudo().search(domain, limit=2)
        return shifts.sudo(False) if len(shifts) == 1 else self

    @api.model
    def _is_required(self, company, user=None):
        """A store keeper (not a manager) must work in an open shift when the company says so."""
        user = user or self.env.user
        return bool(
            company.clever_warehouse_shift_required
            and user.has_group(STOREKEEPER_GROUP)
            and not user.has_group(MANAGER_GROUP)
        )
