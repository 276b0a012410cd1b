from odoo import api, fields, models

# What a shop asks a manager for. Other modules use these keys with
# clever.approval.request.request() and _check_approved().
APPROVAL_ACTIONS = [
    ("shift_open", "Open a shift"),
    ("shift_close", "Close a shift"),
    ("refund", "Return of goods"),
    ("debt_sale", "Sale on debt"),
    ("stock_adjustment", "Stock adjustment"),
    ("cash_out", "Cash out of the till"),
    ("discount", "Discount over the cashier's limit"),
    ("expense", "Expense"),
]

# Sensible defaults for every company: (action, needs approval, from amount, from quantity).
DEFAULT_RULES = [
    ("shift_open", True, 0, 0),
    ("shift_close", True, 0, 0),
    ("refund", True, 0, 0),
    ("debt_sale", True, 0, 0),
    ("stock_adjustment", True, 0, 5),
    ("cash_out", True, 20000, 0),
    ("discount", True, 0, 0),
    ("expense", True, 50000, 0),
]


class CleverApprovalRule(models.Model):
    """The approval policy of a company: one line per action."""

    _name = "clever.approval.rule"
    _inherit = ["clever.audit.mixin"]
    _description = "Approval policy line"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    action = fields.Selection(APPROVAL_ACTIONS, required=True)
    active = fields.Boolean(default=True)
    required = fields.Boolean(string="Needs approval", default=True)
    min_amount = fields.Monetary(
        string="From amount", currency_field="currency_id", help="0: whatever the amount. Otherwise only from this amount (tenge) on."
    )
    min_quantity = fields.Float(string="From quantity", help="0: whatever the quantity. Otherwise only from this many units on.")
    currency_id = fields.Many2one(related="company_id.currency_id")
    approver_group_ids = fields.Many2many(
        "res.groups",
        string="Who approves",
        default=lambda self: self._default_approver_groups(),
        help="Members of these groups may approve; nobody approves their own request.",
    )
    validity_minutes = fields.Integer(
        string="Valid for (minutes)", default=15, help="A pending request expires after this time, and so does an unused approval."
    )

    _action_unique = models.Constraint("UNIQUE(company_id, action)", "Each action has one policy line per company.")
    _validity_positive = models.Constraint("CHECK(validity_minutes > 0)", "A request must stay valid for at least a minute.")

    @api.model
    def _default_approver_groups(self):
        return self.env.ref("clever_pos_base.group_clever_manager", raise_if_not_found=False) or self.env["res.groups"]

    @api.model
    def _create_defaults(self, companies):
        rules = self.sudo().with_context(active_test=False).search([("company_id", "in", companies.ids)])
        existing = {(rule.company_id.id, rule.action) for rule in rules}
        vals = [
            {
                "company_id": company.id,
                "action": action,
                "required": required,
                "min_amount": amount,
                "min_quantity": quantity,
                "sequence": index,
            }
            for company in companies
            for index, (action, required, amount, quantity) in enumerate(DEFAULT_RULES)
            if (company.id, action) not in existing
        ]
        return self.sudo().create(vals)

    @api.model
    def _create_missing_defaults(self):
        """Data hook (install and update): every company has a line for every action."""
        self._create_defaults(self.env["res.company"].sudo().search([]))

    @api.model
    def _get_rule(self, action, company):
        return self.search([("company_id", "=", company.id), ("action", "=", action)], limit=1)

    def _applies(self, amount=0.0, quantity=0.0):
        """Whether this line asks for approval at this amount and quantity."""
        self.ensure_one()
        if not self.required:
            return False
        reached = []
        if self.min_amount:
            reached.append(abs(amount) >= self.min_amount)
        if self.min_quantity:
            reached.append(abs(quantity) >= self.min_quantity)
        return any(reached) if reached else True
