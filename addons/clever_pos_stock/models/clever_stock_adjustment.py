from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.stock_guard import with_pass

APPROVAL_ACTION = "stock_adjustment"


class CleverStockAdjustment(models.Model):
    """A stock adjustment: the only way a store keeper changes a quantity by hand.

    Each line names a product, the counted quantity or the change, and a reason. Applying the
    document goes through Odoo's inventory mode, so the result is ordinary done stock moves
    carrying the reason and this document. Lines over the approval policy's limit need a
    manager's approval first (clever.approval.request, action "stock_adjustment").
    """

    _name = "clever.stock.adjustment"
    _description = "Stock adjustment"
    _inherit = ["mail.thread", "mail.activity.mixin", "clever.warehouse.shift.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", readonly=True, copy=False, default="/", index="trigram")
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company, index=True)
    location_id = fields.Many2one(
        "stock.location",
        string="Location",
        required=True,
        check_company=True,
        domain="[('usage', '=', 'internal'), ('company_id', 'in', [company_id, False])]",
        default=lambda self: self._default_location(),
        tracking=True,
    )
    date = fields.Datetime(default=fields.Datetime.now, required=True, tracking=True)
    user_id = fields.Many2one("res.users", string="Responsible", default=lambda self: self.env.user, tracking=True)
    reason_id = fields.Many2one(
        "clever.stock.adjustment.reason",
        string="Default reason",
        help="Proposed on each new line.",
    )
    comment = fields.Text()
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_approve", "Waiting approval"),
            ("done", "Done"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    line_ids = fields.One2many("clever.stock.adjustment.line", "adjustment_id", string="Lines", copy=True)
    count_id = fields.Many2one("clever.stock.count", string="From count", readonly=True, copy=False, index="btree_not_null")
    move_ids = fields.One2many("stock.move", "clever_adjustment_id", string="Stock moves", readonly=True)
    move_count = fields.Integer(compute="_compute_move_count")
    date_done = fields.Datetime(string="Applied on", readonly=True, copy=False)
    done_by_id = fields.Many2one("res.users", string="Applied by", readonly=True, copy=False)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_total = fields.Monetary(string="Value of the changes", compute="_compute_totals", currency_field="currency_id")
    needs_approval = fields.Boolean(compute="_compute_totals", help="A line is over the approval policy's limit.")
    approval_request_id = fields.Many2one("clever.approval.request", compute="_compute_approval_request", string="Approval request")
    approval_state = fields.Selection(
        lambda self: self.env["clever.approval.request"]._fields["state"].selection,
        compute="_compute_approval_request",
        string="Approval",
    )

    @api.model
    def _default_location(self):
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        return warehouse.lot_stock_id

    def _clever_shift_warehouse(self):
        self.ensure_one()
        return self.location_id.warehouse_id

    @api.depends("move_ids")
    def _compute_move_count(self):
        for adjustment in self:
            adjustment.move_count = len(adjustment.move_ids)

    @api.depends("line_ids.value", "line_ids.difference_qty", "line_ids.needs_approval")
    def _compute_totals(self):
        for adjustment in self:
            adjustment.amount_total = sum(abs(value) for value in adjustment.line_ids.mapped("value"))
            adjustment.needs_approval = any(adjustment.line_ids.mapped("needs_approval"))

    def _compute_approval_request(self):
        Request = self.env["clever.approval.request"].sudo()
        for adjustment in self:
            request = Request.browse()
            if adjustment.id:
                request = Request.search([("res_model", "=", self._name), ("res_id", "=", adjustment.id), ("action", "=", APPROVAL_ACTION)], order="id desc", limit=1)
            adjustment.approval_request_id = request.sudo(False)
            adjustment.approval_state = request.state

    # ------------------------------------------------------------------
    # CRUD: applied documents are history
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code("clever.stock.adjustment") or "/"
        return super().create(vals_list)

    def write(self, vals):
        locked = set(vals) - {"comment", "user_id", "message_main_attachment_id", "activity_ids", "message_follower_ids"}
        if locked and not self.env.context.get("clever_adjustment_internal") and any(adj.state in ("done", "cancel") for adj in self):
            raise UserError(self.env._("A done or cancelled adjustment cannot be changed: make a new one."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(adjustment.state != "draft" for adjustment in self):
            raise UserError(self.env._("Only draft adjustments can be deleted; the others are history."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _approval_figures(self):
        """(amount, quantity) the approval must cover: the largest line of the document, in value
        and in units. The policy asks for approval when any line reaches its limit, which is
        the same as asking it of these two figures."""
        self.ensure_one()
        amount = max((abs(v) for v in self.line_ids.mapped("value")), default=0.0)
        quantity = max((abs(q) for q in self.line_ids.mapped("difference_qty")), default=0.0)
        return amount, quantity

    def _check_lines(self):
        for adjustment in self:
            if not adjustment.line_ids:
                raise UserError(self.env._("Add at least one product to %(name)s.", name=adjustment.name))
            adjustment.line_ids._check_ready()

    def action_request_approval(self):
        """Send the document to a manager. Without anything over the limit, it is applied at once."""
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("Only a draft adjustment can be sent for approval."))
        self._check_lines()
        if not self.needs_approval:
            return self.action_done()
        amount, quantity = self._approval_figures()
        reasons = ", ".join(self.line_ids.reason_id.mapped("name"))
        request = self.env["clever.approval.request"].request(
            APPROVAL_ACTION, self, amount=amount, quantity=quantity, reason=reasons, comment=self.comment or ""
        )
        self.with_context(clever_adjustment_internal=True).state = "to_approve"
        return {
            "type": "ir.actions.client",
            "tag": "clever_pos_base.approval_wait",
            "target": "new",
            "name": self.env._("Waiting for approval"),
            "context": {"request_id": request.id},
        }

    def action_done(self):
        """Apply the document: real stock moves, each with its reason and this document."""
        for adjustment in self:
            if adjustment.state not in ("draft", "to_approve"):
                raise UserError(self.env._("%(name)s is already applied or cancelled.", name=adjustment.name))
            adjustment._check_lines()
            adjustment._clever_take_warehouse_shift()
            amount, quantity = adjustment._approval_figures()
            # The guard of the approvals engine: refuses unless an approval covers this document
            # (or the policy needs none for these figures), and uses the approval up.
            self.env["clever.approval.request"]._check_approved(APPROVAL_ACTION, adjustment, amount=amount, quantity=quantity)
            adjustment._apply()
        return True

    def _apply(self):
        self.ensure_one()
        now = fields.Datetime.now()
        for line in self.line_ids:
            line._apply()
        self.with_context(clever_adjustment_internal=True).write({"state": "done", "date_done": now, "done_by_id": self.env.user.id})
        self.env["stock.warehouse.orderpoint"].sudo()._clever_check_products(self.line_ids.product_id, self.company_id)

    def action_cancel(self):
        for adjustment in self:
            if adjustment.state not in ("draft", "to_approve"):
                raise UserError(self.env._("Only a draft or waiting adjustment can be cancelled."))
            pending = self.env["clever.approval.request"].sudo().search(
                [("res_model", "=", self._name), ("res_id", "=", adjustment.id), ("state", "=", "pending")]
            )
            pending.write({"state": "cancelled", "decided_at": fields.Datetime.now()})
        self.with_context(clever_adjustment_internal=True).state = "cancel"
        return True

    def action_draft(self):
        """Back to draft, to correct lines after a refusal (a new approval is then needed)."""
        for adjustment in self:
            if adjustment.state not in ("to_approve", "cancel"):
                raise UserError(self.env._("Only a waiting or cancelled adjustment goes back to draft."))
            pending = self.env["clever.approval.request"].sudo().search(
                [("res_model", "=", self._name), ("res_id", "=", adjustment.id), ("state", "=", "pending")]
            )
            pending.write({"state": "cancelled", "decided_at": fields.Datetime.now()})
        self.with_context(clever_adjustment_internal=True).state = "draft"
        return True

    def action_open_approval(self):
        self.ensure_one()
        if not self.approval_request_id:
            return False
        if self.approval_request_id.state == "pending":
            return {
                "type": "ir.actions.client",
                "tag": "clever_pos_base.approval_wait",
                "target": "new",
                "name": self.env._("Waiting for approval"),
                "context": {"request_id": self.approval_request_id.id},
            }
        return {
            "type": "ir.actions.act_window",
            "res_model": "clever.approval.request",
            "res_id": self.approval_request_id.id,
            "views": [(False, "form")],
        }

    def action_view_moves(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("clever_pos_stock.stock_move_action_clever_history")
        action["domain"] = [("clever_adjustment_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.constrains("location_id", "company_id")
    def _check_location(self):
        for adjustment in self:
            if adjustment.location_id.usage != "internal":
                raise ValidationError(self.env._("An adjustment counts stock in an internal location of the shop."))

    def _quant_env(self):
        """The quant model with the guard opened for this document only."""
        return with_pass(self.env["stock.quant"])
