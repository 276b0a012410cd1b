import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from ..shop_api import AuthError, KaspiError, KaspiRefusedError, KaspiUnavailableError

_logger = logging.getLogger(__name__)

KASPI_STATES = [
    ("NEW", "New"),
    ("SIGN_REQUIRED", "Signature required"),
    ("PICKUP", "Pickup"),
    ("DELIVERY", "Delivery"),
    ("KASPI_DELIVERY", "Kaspi Delivery"),
    ("ARCHIVE", "Archive"),
]
KASPI_STATUSES = [
    ("APPROVED_BY_BANK", "Approved by the bank"),
    ("ACCEPTED_BY_MERCHANT", "Accepted"),
    ("COMPLETED", "Completed"),
    ("CANCELLED", "Cancelled"),
    ("CANCELLING", "Being cancelled"),
    ("KASPI_DELIVERY_RETURN_REQUESTED", "Return requested"),
    ("RETURN_ACCEPTED_BY_MERCHANT", "Return accepted"),
    ("RETURNED", "Returned"),
]
KASPI_DELIVERY_MODES = [
    ("DELIVERY_LOCAL", "Own courier"),
    ("DELIVERY_PICKUP", "Pickup"),
    ("DELIVERY_REGIONAL_PICKUP", "Regional pickup"),
    ("DELIVERY_REGIONAL_TODOOR", "Kaspi Delivery"),
]
KASPI_PAYMENT_MODES = [("PAY_WITH_CREDIT", "Credit"), ("PREPAID", "Prepaid")]
# The tab Kaspi moves an accepted order to, by delivery mode.
STATE_AFTER_ACCEPT = {
    "DELIVERY_LOCAL": "DELIVERY",
    "DELIVERY_PICKUP": "PICKUP",
    "DELIVERY_REGIONAL_PICKUP": "KASPI_DELIVERY",
    "DELIVERY_REGIONAL_TODOOR": "KASPI_DELIVERY",
}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    clever_channel = fields.Selection(
        [("kaspi", "Kaspi"), ("delivery", "Delivery"), ("backend", "Back office")],
        string="Channel",
        default="backend",
        required=True,
        index=True,
        copy=False,
    )
    kaspi_store_id = fields.Many2one("clever.kaspi.store", string="Kaspi store", index=True, copy=False, readonly=True)
    kaspi_order_id = fields.Char(string="Kaspi order id", copy=False, readonly=True)
    kaspi_code = fields.Char(string="Kaspi code", copy=False, readonly=True, index="btree_not_null")
    kaspi_state = fields.Selection(KASPI_STATES, string="Kaspi state", copy=False, readonly=True)
    kaspi_status = fields.Selection(KASPI_STATUSES, string="Kaspi status", copy=False, readonly=True)
    kaspi_delivery_mode = fields.Selection(KASPI_DELIVERY_MODES, string="Delivery mode", copy=False, readonly=True)
    kaspi_payment_mode = fields.Selection(KASPI_PAYMENT_MODES, string="Payment mode", copy=False, readonly=True)
    kaspi_creation_date = fields.Datetime(string="Created on Kaspi", copy=False, readonly=True)
    kaspi_planned_date = fields.Datetime(string="Planned delivery", copy=False, readonly=True)
    kaspi_pickup_point_id = fields.Many2one("clever.kaspi.pickup.point", string="Kaspi pickup point", copy=False, readonly=True)
    kaspi_pre_order = fields.Boolean(string="Pre-order", copy=False, readonly=True)
    kaspi_arrived = fields.Boolean(string="Pre-order goods arrived", copy=False, readonly=True)
    kaspi_assembled = fields.Boolean(string="Assembled", copy=False, readonly=True)
    kaspi_parcels = fields.Integer(string="Parcels", copy=False, readonly=True)
    kaspi_waybill = fields.Char(string="Waybill", copy=False, readonly=True)
    kaspi_total = fields.Float(string="Kaspi total", copy=False, readonly=True)
    kaspi_delivery_address = fields.Char(string="Delivery address", copy=False, readonly=True)
    kaspi_customer_phone = fields.Char(string="Buyer's phone", copy=False, readonly=True)
    kaspi_code_sent = fields.Boolean(string="Code sent to the buyer", copy=False, readonly=True)
    kaspi_hash = fields.Char(copy=False, readonly=True)
    kaspi_needs_mapping = fields.Boolean(
        string="Needs mapping",
        compute="_compute_kaspi_needs_mapping",
        store=True,
        help="A line of this Kaspi order names an offer that is not mapped to a product yet.",
    )
    kaspi_status_log_ids = fields.One2many("clever.kaspi.order.status.log", "order_id", string="Kaspi status history")
    clever_needs_fiscal_receipt = fields.Boolean(
        string="Needs a fiscal receipt",
        compute="_compute_clever_needs_fiscal_receipt",
        search="_search_clever_needs_fiscal_receipt",
        help="Off for Kaspi orders of a store whose Kaspi cash register issues the receipt.",
    )

    _kaspi_order_unique = models.UniqueIndex(
        "(kaspi_store_id, kaspi_order_id) WHERE kaspi_order_id IS NOT NULL",
        "This Kaspi order is already imported for this store.",
    )

    @api.depends("order_line.kaspi_needs_mapping")
    def _compute_kaspi_needs_mapping(self):
        for order in self:
            order.kaspi_needs_mapping = any(order.order_line.mapped("kaspi_needs_mapping"))

    @api.depends("clever_channel", "kaspi_store_id.kaspi_fiscal_receipt")
    def _compute_clever_needs_fiscal_receipt(self):
        for order in self:
            order.clever_needs_fiscal_receipt = not (
                order.clever_channel == "kaspi" and order.kaspi_store_id.kaspi_fiscal_receipt
            )

    def _search_clever_needs_fiscal_receipt(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        kaspi_issues = ["&", ("clever_channel", "=", "kaspi"), ("kaspi_store_id.kaspi_fiscal_receipt", "=", True)]
        if (operator == "=") == value:
            return ["!", *kaspi_issues]
        return kaspi_issues

    # Import side --------------------------------------------------------------------------------

    def _kaspi_update_from(self, kaspi_order, fingerprint):
        """Bring this order in line with Kaspi's changed order; a new status leaves a line in the
        history and takes its effect (confirm, deliver, cancel)."""
        self.ensure_one()
        Import = self.env["clever.kaspi.order.import"]
        values = Import._order_values(self.kaspi_store_id, kaspi_order)
        old_status, old_state = self.kaspi_status, self.kaspi_state
        changes = {name: value for name, value in values.items() if self[name] != value}
        changes["kaspi_hash"] = fingerprint
        self.write(changes)
        if old_status != kaspi_order.status or old_state != kaspi_order.state:
            self._kaspi_log(old_status, kaspi_order.status, kaspi_order.state, old_state=old_state, source="kaspi")
        if old_status != kaspi_order.status:
            self._kaspi_on_status({self.id: old_status})

    def _kaspi_log(self, old_status, new_status, new_state=None, old_state=None, source="odoo", note=False):
        self.ensure_one()
        self.env["clever.kaspi.order.status.log"].sudo().create(
            {
                "order_id": self.id,
                "old_status": old_status or False,
                "new_status": new_status or False,
                "old_state": old_state or False,
                "new_state": new_state or False,
                "source": source,
                "note": note,
                "user_id": self.env.uid,
            }
        )

    def _kaspi_on_status(self, old_statuses):
        """What a (new) Kaspi status means for the sale order. ``old_statuses`` maps each order
        to its status before (False for an order seen for the first time)."""
        to_confirm = self.browse()
        history = self.browse()
        for order in self:
            status = order.kaspi_status
            first_seen = not old_statuses.get(order.id)
            if order.state in ("draft", "sent"):
                if status == "ACCEPTED_BY_MERCHANT" and not order.kaspi_needs_mapping:
                    to_confirm |= order
                elif status == "COMPLETED" and not order.kaspi_needs_mapping:
                    # Seen for the first time already handed over: recorded as a confirmed sale
                    # without moving stock again; otherwise confirmed and delivered now.
                    if first_seen:
                        history |= order
                    else:
                        to_confirm |= order
                elif status in ("CANCELLED", "RETURNED"):
                    order._action_cancel()
            elif order.state == "sale" and status in ("CANCELLED", "RETURNED"):
                if not order.picking_ids.filtered(lambda p: p.state == "done"):
                    order._action_cancel()
        if history:
            history.with_context(skip_procurement=True)._kaspi_confirm()
        if to_confirm:
            to_confirm._kaspi_confirm()
        self.filtered(lambda o: o.state == "sale" and o.kaspi_status == "COMPLETED" and o not in history)._kaspi_deliver()

    def _kaspi_confirm(self):
        """Confirm (reserve the stock) keeping Kaspi's order date; a DELIVERY_LOCAL order's
        delivery becomes a courier delivery."""
        dates = {order.id: order.date_order for order in self}
        self.action_confirm()
        for order in self:
            order.date_order = dates[order.id]
        self.filtered(lambda o: o.kaspi_delivery_mode == "DELIVERY_LOCAL")._kaspi_courier_delivery()

    def _kaspi_courier_delivery(self):
        for order in self:
            pickings = order.picking_ids.filtered(
                lambda p: p.picking_type_code == "outgoing" and p.state not in ("done", "cancel")
            )
            if not pickings:
                continue
            pickings.write(
                {
                    "clever_is_delivery": True,
                    "clever_delivery_address": order.kaspi_delivery_address or order.partner_id.contact_address,
                    "clever_delivery_phone": order.kaspi_customer_phone or order.partner_id.phone,
                    "clever_window_start": order.kaspi_planned_date,
                    "clever_window_end": order.kaspi_planned_date,
                    # Kaspi collects the money of its orders: the courier collects nothing.
                    "clever_amount_to_collect": 0.0,
                }
            )

    def _kaspi_deliver(self):
        """Kaspi says the buyer has the goods: validate the outgoing deliveries that are fully
        reserved. What cannot be validated stays for the storekeeper, with a note."""
        for order in self:
            for picking in order.picking_ids.filtered(
                lambda p: p.picking_type_code == "outgoing" and p.state not in ("done", "cancel")
            ):
                if picking.state != "assigned":
                    picking.action_assign()
                moves = picking.move_ids.filtered(lambda m: m.state not in ("done", "cancel"))
                if picking.state == "assigned" and all(m.quantity >= m.product_uom_qty for m in moves):
                    try:
                        with self.env.cr.savepoint():
                            moves.picked = True
                            picking.with_context(skip_backorder=True, skip_sms=True).button_validate()
                        continue
                    except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                        raise
                    except (UserError, ValueError):
                        _logger.info("Delivery %s of Kaspi order %s left for the storekeeper", picking.id, order.id)
                order.message_post(
                    body=self.env._(
                        "Kaspi completed this order, but the delivery %(picking)s could not be validated: "
                        "validate it in the warehouse.",
                        picking=picking.name,
                    )
                )

    # Actions sent to Kaspi ----------------------------------------------------------------------

    def _kaspi_call(self, method, *args):
        """Send one action to Kaspi with the store's token. Kaspi's refusal becomes a UserError
        with Kaspi's own words; nothing is recorded on our side before Kaspi accepted."""
        self.ensure_one()
        if self.clever_channel != "kaspi" or not self.kaspi_order_id:
            raise UserError(self.env._("This is not a Kaspi order."))
        self.check_access("write")
        Import = self.env["clever.kaspi.order.import"]
        client = Import._client(self.kaspi_store_id)
        try:
            return getattr(client, method)(self.kaspi_order_id, self.kaspi_code, *args)
        except AuthError:
            message = self.env._(
                "Kaspi refused the API token of the store %(store)s: an administrator must enter a valid token.",
                store=self.kaspi_store_id.display_name,
            )
            self.kaspi_store_id.sudo()._notify_feed_problem(message)
            raise UserError(message) from None
        except KaspiRefusedError as error:
            raise UserError(
                self.env._("Kaspi refused: %(message)s", message=error.kaspi_message or str(error))
            ) from None
        except KaspiUnavailableError:
            raise UserError(self.env._("Kaspi is not answering now. Nothing was changed; try again later.")) from None
        except KaspiError as error:
            raise UserError(self.env._("Kaspi refused: %(message)s", message=str(error))) from None
        finally:
            client.close()

    def _kaspi_after_change(self, change, requested, **values):
        """Record a status Kaspi accepted."""
        old_status, old_state = self.kaspi_status, self.kaspi_state
        new_status = change.status or requested
        if new_status == "ACCEPTED_BY_MERCHANT":
            values.setdefault("kaspi_state", STATE_AFTER_ACCEPT.get(self.kaspi_delivery_mode, self.kaspi_state))
        elif new_status in ("COMPLETED", "CANCELLED", "RETURNED"):
            values.setdefault("kaspi_state", "ARCHIVE")
        self.sudo().write({"kaspi_status": new_status, **values})
        if old_status != new_status:
            self._kaspi_log(old_status, new_status, self.kaspi_state, old_state, source="odoo")
            self.sudo()._kaspi_on_status({self.id: old_status})

    def action_kaspi_accept(self):
        self.ensure_one()
        if self.kaspi_needs_mapping:
            raise UserError(self.env._("Map the Kaspi offers of this order to products before accepting it."))
        change = self._kaspi_call("accept")
        self._kaspi_after_change(change, "ACCEPTED_BY_MERCHANT")
        return True

    def action_kaspi_arrived(self):
        self.ensure_one()
        self._kaspi_call("mark_arrived")
        self.sudo().kaspi_arrived = True
        self._kaspi_log(
            self.kaspi_status,
            self.kaspi_status,
            self.kaspi_state,
            self.kaspi_state,
            note=self.env._("Pre-order goods arrived"),
        )
        return True

    def action_kaspi_return_arrived(self):
        self.ensure_one()
        change = self._kaspi_call("mark_return_arrived")
        self._kaspi_after_change(change, "RETURNED")
        self.kaspi_status_log_ids[:1].sudo().note = self.env._("Returned goods received back")
        self.sudo()._kaspi_receive_return()
        return True

    def _kaspi_receive_return(self):
        """The goods of a delivered Kaspi order are back in the shop: a return of each validated
        delivery, validated at once (the stock is back on the shelf)."""
        for picking in self.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing" and p.state == "done"):
            if picking.return_ids.filtered(lambda r: r.state != "cancel"):
                continue
            wizard = (
                self.env["stock.return.picking"]
                .with_context(active_id=picking.id, active_ids=picking.ids, active_model="stock.picking")
                .create({"picking_id": picking.id})
            )
            for line in wizard.product_return_moves:
                line.quantity = line.move_id.quantity
            returned = wizard._create_return()
            try:
                with self.env.cr.savepoint():
                    for move in returned.move_ids:
                        move.quantity = move.product_uom_qty
                    returned.move_ids.picked = True
                    returned.with_context(skip_backorder=True).button_validate()
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise
            except (UserError, ValueError):
                self.message_post(
                    body=self.env._(
                        "The return %(picking)s of this Kaspi order could not be validated: validate it in the warehouse.",
                        picking=returned.name,
                    )
                )

    def _kaspi_assemble(self, parcels):
        self.ensure_one()
        self._kaspi_call("assemble", parcels)
        values = {"kaspi_assembled": True, "kaspi_parcels": parcels}
        try:
            client = self.env["clever.kaspi.order.import"]._client(self.kaspi_store_id)
            try:
                values["kaspi_waybill"] = client.get_order(self.kaspi_order_id, include=()).waybill_number or False
            finally:
                client.close()
        except KaspiError:
            _logger.info("Waybill of Kaspi order %s not read yet", self.id)
        self.sudo().write(values)
        self._kaspi_log(
            self.kaspi_status,
            self.kaspi_status,
            self.kaspi_state,
            self.kaspi_state,
            note=self.env._("Assembled for Kaspi Delivery: %(parcels)s parcel(s)", parcels=parcels),
        )

    def _kaspi_cancel(self, reason, comment):
        self.ensure_one()
        change = self._kaspi_call("cancel", reason, comment or None)
        self._kaspi_after_change(change, "CANCELLED")
        reasons = dict(self.env["clever.kaspi.order.cancel.wizard"]._fields["reason"]._description_selection(self.env))
        note = reasons.get(reason, reason) + (f": {comment}" if comment else "")
        self.kaspi_status_log_ids[:1].sudo().note = note

    def _kaspi_send_code(self):
        self.ensure_one()
        self._kaspi_call("send_completion_code")
        self.sudo().kaspi_code_sent = True

    def _kaspi_complete(self, security_code):
        self.ensure_one()
        change = self._kaspi_call("complete", security_code)
        self._kaspi_after_change(change, "COMPLETED")

    def action_kaspi_open_cancel(self):
        return self._kaspi_wizard("clever.kaspi.order.cancel.wizard", self.env._("Cancel the Kaspi order"))

    def action_kaspi_open_assemble(self):
        return self._kaspi_wizard("clever.kaspi.order.assemble.wizard", self.env._("Assemble for Kaspi Delivery"))

    def action_kaspi_open_complete(self):
        return self._kaspi_wizard("clever.kaspi.order.complete.wizard", self.env._("Hand the order to the buyer"))

    def action_kaspi_open_mapping(self):
        return self._kaspi_wizard("clever.kaspi.order.mapping.wizard", self.env._("Map Kaspi offers to products"))

    def _kaspi_wizard(self, model, name):
        self.ensure_one()
        wizard = self.env[model].create({"order_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": model,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
            "name": name,
        }
