from datetime import datetime, time, timedelta
from urllib.parse import quote

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import float_compare

COURIER_GROUP = "clever_pos_base.group_clever_courier"
DELIVERY_STATES = [
    ("to_assign", "To assign"),
    ("assigned", "Assigned"),
    ("on_the_way", "On the way"),
    ("delivered", "Delivered"),
    ("failed", "Failed"),
    ("returned", "Returned to the shop"),
]
ACTIVE_STATES = ("assigned", "on_the_way")
# Address search in 2GIS, the map Kazakh couriers use; opens the 2GIS app on a phone when installed.
MAP_URL = "https://2gis.kz/search/%s"


class StockPicking(models.Model):
    """Transfers validated in a warehouse shift record it (receipts and internal transfers).

    A delivery by the shop's own courier: an outgoing transfer (a POS sale with delivery, a
    backend sale, a Kaspi order delivered by the shop) with an address, a time window, the money
    to collect and a courier.

    to_assign -> assigned -> on_the_way -> delivered (the transfer is validated, the cash
    collected recorded) or failed (with a reason) -> returned (the goods are back on the shelf:
    for a validated transfer through a return transfer). Every step is tracked in the chatter;
    nothing is deleted. A courier sees only their own deliveries (record rule) and changes them
    only through the actions below.
    """

    _name = "stock.picking"
    _inherit = ["stock.picking", "clever.warehouse.shift.mixin"]

    # ------------------------------------------------------------------
    # Warehouse shift: receipts and internal transfers validated in a shift record it
    # ------------------------------------------------------------------

    def _clever_shift_warehouse(self):
        self.ensure_one()
        return self.picking_type_id.warehouse_id

    def _clever_shift_pickings(self):
        """Receipts and internal transfers are a store keeper's work; deliveries are not, nor the
        pickings of the till (a refund comes back through the receipt type)."""
        return self.filtered(lambda p: p.picking_type_code in ("incoming", "internal") and not p.pos_session_id)

    def button_validate(self):
        # Before any wizard (backorder, lots...), so that the store keeper is told at once.
        self._clever_shift_pickings()._clever_take_warehouse_shift()
        return super().button_validate()

    def _action_done(self):
        self._clever_shift_pickings()._clever_take_warehouse_shift()
        return super()._action_done()

    # ------------------------------------------------------------------
    # Courier deliveries
    # ------------------------------------------------------------------

    clever_is_delivery = fields.Boolean(
        string="Delivered by our courier", copy=False, index=True, help="The shop's own courier takes this order to the customer."
    )
    clever_delivery_address = fields.Text(string="Delivery address", copy=False)
    clever_delivery_phone = fields.Char(string="Customer's phone", copy=False)
    clever_window_start = fields.Datetime(string="Deliver from", copy=False)
    clever_window_end = fields.Datetime(string="Deliver until", copy=False)
    clever_currency_id = fields.Many2one("res.currency", related="company_id.currency_id", string="Delivery currency")
    clever_amount_to_collect = fields.Monetary(
        string="To collect", currency_field="clever_currency_id", copy=False, help="Cash the courier takes from the customer."
    )
    clever_courier_id = fields.Many2one(
        "res.users",
        string="Courier",
        copy=False,
        index="btree_not_null",
        tracking=True,
        domain=lambda self: [("all_group_ids", "in", self.env.ref(COURIER_GROUP).ids)],
    )
    clever_delivery_state = fields.Selection(
        DELIVERY_STATES,
        string="Delivery status",
        compute="_compute_clever_delivery_state",
        store=True,
        readonly=False,
        precompute=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
    )
    clever_failure_reason_id = fields.Many2one("clever.delivery.failure.reason", string="Failure reason", copy=False, tracking=True)
    clever_failure_note = fields.Text(string="What happened", copy=False)
    clever_cash_collected = fields.Monetary(string="Cash collected", currency_field="clever_currency_id", copy=False, tracking=True)
    clever_route_sequence = fields.Integer(string="Route order", copy=False, default=0)
    clever_handover_photo = fields.Image(string="Handover photo", max_width=1280, max_height=1280, copy=False)
    clever_finished_at = fields.Datetime(string="Delivery finished at", copy=False, readonly=True)
    clever_return_picking_id = fields.Many2one("stock.picking", string="Return to the shop", copy=False, readonly=True)

    @api.depends("clever_is_delivery", "clever_courier_id")
    def _compute_clever_delivery_state(self):
        for picking in self:
            if not picking.clever_is_delivery:
                picking.clever_delivery_state = False
            elif picking.clever_delivery_state in (False, "to_assign", "assigned"):
                picking.clever_delivery_state = "assigned" if picking.clever_courier_id else "to_assign"

    # ------------------------------------------------------------------
    # Guards
    # ------------------------------------------------------------------

    def _clever_is_stock_user(self):
        return self.env.su or self.env.user.has_group("stock.group_stock_user")

    def _clever_check_courier_action(self, states):
        """The current user may run a courier action on these deliveries: their own courier, or
        a stock user of the shop. Returns the deliveries as superuser, to write what the courier
        may not write directly."""
        self.check_access("read")
        stock_user = self._clever_is_stock_user()
        for picking in self:
            if not picking.clever_is_delivery:
                raise UserError(self.env._("%(picking)s is not a delivery by our courier.", picking=picking.name))
            if not stock_user and picking.clever_courier_id != self.env.user:
                raise AccessError(self.env._("%(picking)s is not your delivery.", picking=picking.name))
            if picking.clever_delivery_state not in states:
                state = dict(self._fields["clever_delivery_state"]._description_selection(self.env))
                raise UserError(
                    self.env._(
                        "%(picking)s is %(state)s: this step is not possible now.",
                        picking=picking.name,
                        state=state.get(picking.clever_delivery_state, ""),
                    )
                )
            if picking.state == "cancel":
                raise UserError(self.env._("%(picking)s is cancelled.", picking=picking.name))
        return self.sudo()

    def _clever_check_stock_user(self):
        if not self._clever_is_stock_user():
            raise AccessError(self.env._("Only the shop's stock staff may do this."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_clever_assign_courier(self, courier_id=None):
        """Give the deliveries to a courier (the one set on them, or `courier_id`)."""
        self._clever_check_stock_user()
        courier = self.env["res.users"].browse(courier_id) if courier_id else None
        for picking in self:
            if not picking.clever_is_delivery:
                raise UserError(self.env._("%(picking)s is not a delivery by our courier.", picking=picking.name))
            if picking.clever_delivery_state not in ("to_assign", "assigned", "failed", "returned") or picking.state in ("done", "cancel"):
                raise UserError(self.env._("%(picking)s cannot be given to a courier now.", picking=picking.name))
            target = courier or picking.clever_courier_id
            if not target:
                raise UserError(self.env._("Choose the courier of %(picking)s first.", picking=picking.name))
            if not target.has_group(COURIER_GROUP):
                raise UserError(self.env._("%(user)s is not a courier.", user=target.name))
            picking.write(
                {
                    "clever_courier_id": target.id,
                    "clever_delivery_state": "assigned",
                    "clever_failure_reason_id": False,
                    "clever_finished_at": False,
                }
            )
        return True

    def action_clever_start(self):
        """The courier leaves the shop with the order."""
        for picking in self._clever_check_courier_action(("assigned",)):
            picking.clever_delivery_state = "on_the_way"
        return True

    def action_clever_deliver(self, cash_collected=None, photo=None):
        """Handed over: the transfer is validated and the cash taken from the customer recorded
        (by default the amount to collect)."""
        deliveries = self._clever_check_courier_action(ACTIVE_STATES)
        for picking in deliveries:
            cash = picking.clever_amount_to_collect if cash_collected is None else float(cash_collected or 0.0)
            if float_compare(cash, 0.0, precision_rounding=picking.clever_currency_id.rounding) < 0:
                raise UserError(self.env._("The cash collected cannot be negative."))
            picking._clever_validate()
            values = {
                "clever_delivery_state": "delivered",
                "clever_cash_collected": cash,
                "clever_finished_at": fields.Datetime.now(),
            }
            if photo:
                values["clever_handover_photo"] = photo
            picking.write(values)
            picking._clever_after_delivered()
        return True

    def action_clever_fail(self, reason_id, note=""):
        """The order could not be handed over; the goods stay with the courier until they are
        brought back to the shop."""
        reason = self.env["clever.delivery.failure.reason"].browse(int(reason_id or 0)).exists()
        if not reason:
            raise UserError(self.env._("Choose why the delivery failed."))
        note = (note or "").strip()
        if reason.note_required and not note:
            raise UserError(self.env._("Write what happened: %(reason)s.", reason=reason.name))
        for picking in self._clever_check_courier_action(ACTIVE_STATES):
            picking.write(
                {
                    "clever_delivery_state": "failed",
                    "clever_failure_reason_id": reason.id,
                    "clever_failure_note": note,
                    "clever_finished_at": fields.Datetime.now(),
                }
            )
            if note:
                picking.message_post(body=note, author_id=self.env.user.partner_id.id)
        return True

    def action_clever_return(self):
        """The goods are back in the shop. A delivered (validated) order comes back through
        Odoo's return transfer, validated at once; an order that never left the books is simply
        released again (its reservation dropped) and can be given to a courier once more."""
        self._clever_check_stock_user()
        for picking in self._clever_check_courier_action(("failed", "delivered")):
            values = {"clever_delivery_state": "returned"}
            if picking.state == "done":
                wizard = (
                    self.env["stock.return.picking"]
                    .sudo()
                    .with_context(active_id=picking.id, active_ids=picking.ids, active_model="stock.picking")
                    .create({"picking_id": picking.id})
                )
                action = wizard.action_create_returns_all()
                return_picking = self.env["stock.picking"].sudo().browse(action["res_id"])
                return_picking._clever_validate()
                values["clever_return_picking_id"] = return_picking.id
            elif picking.state not in ("cancel", "draft"):
                picking.do_unreserve()
            picking.write(values)
        return True

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _clever_validate(self):
        """Validate the transfer for its full demand, without backorder or wizard."""
        self.ensure_one()
        picking = self.sudo()
        if picking.state == "done":
            return
        if picking.state == "draft":
            picking.action_confirm()
        if picking.state in ("confirmed", "waiting"):
            picking.action_assign()
        for move in picking.move_ids.filtered(lambda m: m.state not in ("done", "cancel")):
            if float_compare(move.quantity, move.product_uom_qty, precision_rounding=move.product_uom.rounding) < 0:
                move.quantity = move.product_uom_qty
            move.picked = True
        result = picking.with_context(skip_backorder=True, picking_ids_not_to_backorder=picking.ids, skip_sms=True).button_validate()
        if picking.state != "done":
            message = isinstance(result, dict) and result.get("name") or ""
            raise UserError(self.env._("%(picking)s could not be validated. %(message)s", picking=picking.name, message=message))

    def _clever_after_delivered(self):
        """Hook: the delivery is handed over (clever_pos_finance books the cash collected)."""
        return True

    @api.model
    def _clever_today_bounds(self):
        tz = pytz.timezone(self.env.company.clever_tz or self.env.user.tz or "Asia/Almaty")
        today = pytz.utc.localize(fields.Datetime.now()).astimezone(tz).date()
        start = tz.localize(datetime.combine(today, time.min)).astimezone(pytz.utc).replace(tzinfo=None)
        return start, start + timedelta(days=1), tz

    @api.model
    def clever_courier_deliveries(self):
        """The courier's phone page: deliveries still to do (whatever their date) and those
        finished today, in route order."""
        start, end, tz = self._clever_today_bounds()
        domain = Domain.AND(
            [
                Domain("clever_is_delivery", "=", True),
                Domain("clever_courier_id", "=", self.env.uid),
                Domain("clever_delivery_state", "in", ACTIVE_STATES)
                | (Domain("clever_delivery_state", "in", ("delivered", "failed")) & Domain("clever_finished_at", ">=", start)),
            ]
        )
        # The record rule restricts a courier to their own deliveries; read the rest as superuser.
        pickings = self.search(domain, order="clever_route_sequence, clever_window_start, scheduled_date, id", limit=200).sudo()
        states = dict(self._fields["clever_delivery_state"]._description_selection(self.env))

        def local(value):
            return pytz.utc.localize(value).astimezone(tz).strftime("%H:%M") if value else ""

        result = []
        for picking in pickings:
            partner = picking.partner_id
            address = (picking.clever_delivery_address or partner._display_address(without_company=True) or "").strip()
            phone = picking.clever_delivery_phone or partner.phone or ""
            currency = picking.clever_currency_id
            result.append(
                {
                    "id": picking.id,
                    "name": picking.name,
                    "origin": picking.origin or "",
                    "customer": partner.display_name or "",
                    "address": address,
                    "map_url": MAP_URL % quote(" ".join(address.split())) if address else "",
                    "phone": phone,
                    "phone_url": "tel:" + "".join(ch for ch in phone if ch.isdigit() or ch == "+") if phone else "",
                    "window": " – ".join(filter(None, [local(picking.clever_window_start), local(picking.clever_window_end)])),
                    "to_collect": picking.clever_amount_to_collect,
                    "to_collect_text": currency.format(picking.clever_amount_to_collect) if picking.clever_amount_to_collect else "",
                    "cash_collected_text": currency.format(picking.clever_cash_collected) if picking.clever_cash_collected else "",
                    "state": picking.clever_delivery_state,
                    "state_label": states.get(picking.clever_delivery_state, ""),
                    "failure_reason": picking.clever_failure_reason_id.name or "",
                    "note": picking.note and str(picking.note) or "",
                    "lines": [
                        {"product": move.product_id.display_name, "quantity": move.product_uom_qty, "uom": move.product_uom.name}
                        for move in picking.move_ids
                        if move.state != "cancel"
                    ],
                }
            )
        reasons = self.env["clever.delivery.failure.reason"].search_read([], ["name", "note_required"])
        return {"deliveries": result, "reasons": reasons}

    def action_clever_open_outcome(self):
        """The office enters how a delivery ended (delivered or failed)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Delivery outcome"),
            "res_model": "clever.delivery.outcome",
            "view_mode": "form",
            "target": "new",
            "context": {"default_picking_id": self.id, "default_outcome": self.env.context.get("clever_outcome", "delivered")},
        }
