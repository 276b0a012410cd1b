from odoo import api, fields, models
from odoo.exceptions import UserError

from ..fiscal import (
    PRODUCTION_URL,
    SHARED_TOKENS,
    TEST_URL,
    FiscalError,
    WebkassaClient,
    WebkassaConfig,
)

# Advisory lock namespace of "one request at a time per cashbox" (pg_try_advisory_xact_lock(ns, id)).
FISCAL_LOCK_NAMESPACE = 1414


class CleverFiscalRegister(models.Model):
    """A cloud fiscal cash register (Webkassa today) and the credentials of its cashier account.

    The secrets (login, password, API key) are readable by administrators only, never listed in
    any POS loading method and never logged (the client redacts them)."""

    _name = "clever.fiscal.register"
    _description = "Fiscal cash register"
    _order = "company_id, name, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    provider = fields.Selection([("webkassa", "Webkassa")], required=True, default="webkassa")
    environment = fields.Selection(
        [("test", "Test"), ("production", "Production")], required=True, default="test",
        help="Test uses the provider's test stand (no real receipts), production the real service.",
    )
    host_url = fields.Char(
        string="Service address",
        groups="base.group_system",
        copy=False,
        help="Leave empty to use the provider's standard address for the chosen environment.",
    )
    cashbox_unique_number = fields.Char(
        string="Cashbox unique number", required=True, help="The cashbox serial number (ZNM), e.g. SWK00033717."
    )
    login = fields.Char(string="Cashier account login", groups="base.group_system", copy=False)
    password = fields.Char(string="Cashier account password", groups="base.group_system", copy=False)
    api_key = fields.Char(string="API key", groups="base.group_system", copy=False)
    kaspi_payment_type = fields.Selection(
        [("4", "Mobile payment"), ("1", "Bank card")],
        string="Kaspi payments as",
        required=True,
        default="4",
        help="How Kaspi QR / Kaspi Red payments are reported to the tax authority (an accounting decision).",
    )
    round_type = fields.Selection(
        [
            ("0", "No rounding"),
            ("1", "Items and total to whole tenge"),
            ("2", "Each item to whole tenge"),
            ("3", "Total to whole tenge"),
        ],
        string="Rounding",
        required=True,
        default="2",
    )
    timeout = fields.Float(string="Answer timeout (s)", default=20.0)
    registration_info = fields.Text(string="Registration data", readonly=True, copy=False)
    config_ids = fields.One2many("pos.config", "clever_fiscal_register_id", string="Registers")
    operation_ids = fields.One2many("clever.fiscal.operation", "register_id", string="Fiscal operations")
    unsent_count = fields.Integer(string="Not fiscalised", compute="_compute_unsent_count")

    _cashbox_unique = models.Constraint(
        "UNIQUE(company_id, environment, cashbox_unique_number)",
        "This cashbox is already set up for this company.",
    )

    def _compute_unsent_count(self):
        Operation = self.env["clever.fiscal.operation"].sudo()
        counts = dict(
            Operation._read_group(
                [("register_id", "in", self.ids), ("state", "in", ("pending", "failed"))], ["register_id"], ["__count"]
            )
        )
        for register in self:
            register.unsent_count = counts.get(register, 0)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        if self.env["clever.fiscal.operation"].sudo().search_count([("register_id", "in", self.ids)], limit=1):
            raise UserError(self.env._("A fiscal register with operations cannot be deleted: archive it."))

    # ------------------------------------------------------------------
    # Client and lock
    # ------------------------------------------------------------------

    def _fiscal_client(self, transport_retries=1):
        """The provider client of this register, built with the server's rights. The till's live
        path passes ``transport_retries=0``: a sale never waits for resends, the queue does them."""
        self.ensure_one()
        register = self.sudo()
        if register.provider != "webkassa":
            raise UserError(self.env._("This fiscal provider is not supported yet."))
        if not (register.login and register.password and register.cashbox_unique_number):
            raise UserError(self.env._("The fiscal register %(name)s has no login, password or cashbox number.", name=register.name))
        base_url = register.host_url or (PRODUCTION_URL if register.environment == "production" else TEST_URL)
        config = WebkassaConfig(
            base_url=base_url,
            api_key=register.api_key or "",
            login=register.login,
            password=register.password,
            cashbox_unique_number=register.cashbox_unique_number,
            read_timeout=register.timeout or 20.0,
            connect_timeout=min(5.0, register.timeout or 5.0),
            round_type=int(register.round_type),
            kaspi_payment_type=int(register.kaspi_payment_type),
            transport_retries=transport_retries,
        )
        return WebkassaClient(config, token_cache=SHARED_TOKENS)

    def _try_lock(self):
        """One request at a time per cashbox across all Odoo workers: a transaction-level
        advisory lock, released at the end of the transaction. False when someone holds it."""
        self.ensure_one()
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", (FISCAL_LOCK_NAMESPACE, self.id))
        return self.env.cr.fetchone()[0]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_test_connection(self):
        """Log in, read the cashbox's registration data and shift state, and show them."""
        self.ensure_one()
        client = self._fiscal_client()
        try:
            client.authorize()
            info = client.cashbox_info()
            shift = client.shift_state()
        except FiscalError as error:
            raise UserError(
                self.env._("Connection failed: %(message)s %(provider)s", message=error.message, provider=error.provider_text or "")
            ) from None
        if shift.is_open:
            shift_text = self.env._(
                "Shift %(number)s open for %(hours)s h", number=shift.shift_number, hours=round(shift.hours_open or 0, 1)
            )
        else:
            shift_text = self.env._("No open shift (last shift %(number)s)", number=shift.shift_number or "-")
        lines = [
            self.env._("Cashbox: %(znm)s %(name)s", znm=info.get("UniqueNumber") or "", name=info.get("Name") or ""),
            self.env._("Registration number (RNM): %(rnm)s", rnm=info.get("RegistrationNumber") or ""),
            self.env._("Identification number (INK): %(ink)s", ink=info.get("IdentificationNumber") or ""),
            self.env._("Address: %(address)s", address=info.get("Description") or ""),
            self.env._("Autonomous mode: %(offline)s", offline=self.env._("yes") if info.get("IsOffline") else self.env._("no")),
            shift_text,
        ]
        self.registration_info = "\n".join(lines)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Connection works"),
                "message": "\n".join(lines),
                "type": "success",
                "sticky": True,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_send_pending(self):
        """Send the waiting operations now (managers; the cron does it too)."""
        for register in self:
            self.env["clever.fiscal.operation"].sudo()._drain(register)
        return True

    def action_view_operations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("clever_pos_terminal.clever_fiscal_operation_action")
        action["domain"] = [("register_id", "=", self.id)]
        return action
