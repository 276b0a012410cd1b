import secrets
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .clever_approval_key import QR_PREFIX
from .clever_approval_rule import APPROVAL_ACTIONS

LOCK_AFTER_FAILURES = 5
LOCK_MINUTES = 10


class CleverApprovalRequest(models.Model):
    """A manager's approval of one sensitive action on one record.

    Other modules call `request()` to ask and `_check_approved()` before they post the protected
    document: the server decides, the screen is never trusted alone. An approval is used once.
    Requests are never deleted; the decision is also posted on the record's chatter.
    """

    _name = "clever.approval.request"
    _description = "Approval request"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", readonly=True, copy=False, default="/")
    action = fields.Selection(APPROVAL_ACTIONS, required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company, index=True)
    res_model = fields.Char(string="Document model", readonly=True, index=True)
    res_id = fields.Many2oneReference(string="Document id", model_field="res_model", readonly=True, index=True)
    record_name = fields.Char(string="Document", readonly=True)
    amount = fields.Monetary(readonly=True, currency_field="currency_id")
    quantity = fields.Float(readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    reason = fields.Char(readonly=True)
    comment = fields.Text(readonly=True)
    requested_by_id = fields.Many2one("res.users", string="Asked by", required=True, readonly=True, default=lambda self: self.env.user, index=True)
    pos_config_id = fields.Many2one("pos.config", string="Register", readonly=True, index="btree_not_null")
    device = fields.Char(readonly=True)
    state = fields.Selection(
        [
            ("pending", "Waiting"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("expired", "Expired"),
            ("cancelled", "Cancelled"),
        ],
        default="pending",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    decided_by_id = fields.Many2one("res.users", string="Decided by", readonly=True)
    decision_method = fields.Selection(
        [("qr", "Manager's QR at the till"), ("phone", "Manager's phone"), ("chat", "Chat"), ("offline_qr", "Manager's QR, till offline")],
        string="How",
        readonly=True,
    )
    decided_at = fields.Datetime(readonly=True)
    decision_note = fields.Char(readonly=True)
    expires_at = fields.Datetime(readonly=True, index=True)
    used_at = fields.Datetime(string="Used", readonly=True, help="When the approved action was carried out: an approval is used once.")
    access_token = fields.Char(readonly=True, copy=False, groups="base.group_user")
    needs_review = fields.Boolean(readonly=True, help="An offline approval whose proof did not verify.")

    # ------------------------------------------------------------------
    # CRUD: requests are history
    # ------------------------------------------------------------------

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Approval requests are kept as history and cannot be deleted."))

    # ------------------------------------------------------------------
    # API for the other modules
    # ------------------------------------------------------------------

    @api.model
    def _is_required(self, action, company=None, amount=0.0, quantity=0.0):
        company = company or self.env.company
        rule = self.env["clever.approval.rule"].sudo()._get_rule(action, company)
        # No policy line at all: ask, rather than let a sensitive action through.
        return rule._applies(amount, quantity) if rule else True

    @api.model
    def request(self, action, record, amount=0.0, quantity=0.0, reason="", comment="", pos_config=None, device=None):
        """Ask for an approval of `action` on `record`; approvers are told at once."""
        if action not in dict(APPROVAL_ACTIONS):
            raise UserError(self.env._("Unknown approval action: %(action)s", action=action))
        record.check_access("read")
        company = record.company_id if "company_id" in record._fields and record.company_id else self.env.company
        rule = self.env["clever.approval.rule"].sudo()._get_rule(action, company)
        now = fields.Datetime.now()
        req = self.sudo().create(
            {
                "name": self.env["ir.sequence"].sudo().next_by_code("clever.approval.request") or "/",
                "action": action,
                "company_id": company.id,
                "res_model": record._name,
                "res_id": record.id,
                "record_name": record.display_name,
                "amount": amount,
                "quantity": quantity,
                "reason": reason,
                "comment": comment,
                "requested_by_id": self.env.user.id,
                "pos_config_id": pos_config.id if pos_config else False,
                "device": device,
                "expires_at": now + timedelta(minutes=rule.validity_minutes if rule else 15),
                "access_token": secrets.token_urlsafe(24),
            }
        )
        req._announce()
        return req.sudo(False)

    @api.model
    def _find_approval(self, action, record, amount=0.0, quantity=0.0):
        """The approved, unused, unexpired request covering this action on this record (at least
        this amount and quantity), without using it up; empty if there is none."""
        return self.sudo().search(
            [
                ("action", "=", action),
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("state", "=", "approved"),
                ("used_at", "=", False),
                ("expires_at", ">", fields.Datetime.now()),
                ("amount", ">=", abs(amount) - 0.005),
                ("quantity", ">=", abs(quantity) - 0.0001),
            ],
            order="id desc",
            limit=1,
        )

    @api.model
    def _check_approved(self, action, record, amount=0.0, quantity=0.0, force=False):
        """The guard: refuse unless an approved, unused, unexpired request covers this action on
        this record (at least this amount and quantity). Uses the approval up. Returns it, or an
        empty recordset when the policy needs no approval and the caller does not `force` one
        (e.g. a debt over the customer's credit limit, whatever the policy's threshold)."""
        company = record.company_id if "company_id" in record._fields and record.company_id else self.env.company
        if not force and not self._is_required(action, company, amount, quantity):
            return self.browse()
        approval = self._find_approval(action, record, amount, quantity)
        if not approval:
            raise UserError(
                self.env._(
                    "%(action)s on %(document)s needs a manager's approval first.",
                    action=dict(self._fields["action"]._description_selection(self.env))[action],
                    document=record.display_name,
                )
            )
        approval.used_at = fields.Datetime.now()
        return approval.sudo(False)

    # ------------------------------------------------------------------
    # Decisions
    # ------------------------------------------------------------------

    def _rule(self):
        return self.env["clever.approval.rule"].sudo()._get_rule(self.action, self.company_id)

    def _can_be_decided_by(self, user):
        """Whether `user` may decide this request: an approver of its policy line, in its company,
        and never the one who asked."""
        self.ensure_one()
        if user == self.requested_by_id or self.company_id not in user.company_ids:
            return False
        groups = self._rule().approver_group_ids or self.env.ref("clever_pos_base.group_clever_manager")
        return bool(user.all_group_ids & groups)

    def _check_pending(self):
        self.ensure_one()
        if self.state == "pending" and self.expires_at and self.expires_at <= fields.Datetime.now():
            self.sudo()._expire()
        if self.state != "pending":
            raise UserError(
                self.env._(
                    "This request is already %(state)s.",
                    state=dict(self._fields["state"]._description_selection(self.env))[self.state],
                )
            )

    def _decide(self, state, user, method, note=None):
        self.sudo().write(
            {
                "state": state,
                "decided_by_id": user.id,
                "decision_method": method,
                "decided_at": fields.Datetime.now(),
                "decision_note": note,
            }
        )
        self._post_decision()
        self._notify_requester()

    def action_approve(self):
        """Approve from the backend or the manager's phone (the current user decides)."""
        return self._decide_as_current_user("approved")

    def action_reject(self, note=None):
        return self._decide_as_current_user("rejected", note=note)

    def _decide_as_current_user(self, state, note=None):
        for req in self:
            req._check_pending()
            if not req._can_be_decided_by(self.env.user):
                raise AccessError(self.env._("You cannot decide this request: it is yours, or your role does not approve it."))
            req._decide(state, self.env.user, "phone", note)
        return True

    def action_cancel(self):
        """The requester gives up waiting."""
        for req in self:
            if req.requested_by_id != self.env.user and not self.env.user.has_group("clever_pos_base.group_clever_manager"):
                raise AccessError(self.env._("Only the person who asked can cancel this request."))
            req._check_pending()
            req.sudo().write({"state": "cancelled", "decided_at": fields.Datetime.now()})
            req._notify_requester()
        return True

    def approve_with_code(self, code, pos_config_id=False):
        """A manager's QR scanned (or its 6 digits typed) at the till. Returns {"ok", "message",
        "state"}: a wrong code is an answer, not an exception, so that it is counted."""
        self.ensure_one()
        self.check_access("read")
        try:
            self._check_pending()
        except UserError as error:
            return {"ok": False, "message": error.args[0], "state": self.state}
        pos_config = self.env["pos.config"].browse(pos_config_id or self.pos_config_id.id)
        locked_until = self._locked_until(pos_config)
        if locked_until:
            return {
                "ok": False,
                "state": self.state,
                "message": self.env._(
                    "Too many wrong codes from here: approvals are locked until %(time)s. A manager has been told.",
                    time=fields.Datetime.context_timestamp(self, locked_until).strftime("%H:%M"),
                ),
            }
        approver, counter = self._match_code(code)
        self.env["clever.approval.attempt"].sudo().create(
            {
                "request_id": self.id,
                "user_id": self.env.user.id,
                "pos_config_id": pos_config.id or False,
                "approver_id": approver.id if approver else False,
                "success": bool(counter),
            }
        )
        if not counter:
            if self._locked_until(pos_config):
                self._tell_managers_about_lock(pos_config)
            return {"ok": False, "state": self.state, "message": self.env._("This code does not approve the request: it is wrong, expired, already used, or not a manager's.")}
        self.env["clever.approval.key"]._for_user(approver).sudo().last_counter = counter
        self._decide("approved", approver, "qr")
        return {"ok": True, "state": self.state, "message": self.env._("Approved by %(name)s.", name=approver.name)}

    def _match_code(self, code):
        """(approver, time step) for a scanned "CPA1:<user>:<code>" or typed 6-digit code."""
        code = (code or "").strip()
        Key = self.env["clever.approval.key"].sudo()
        if code.startswith(QR_PREFIX + ":"):
            parts = code.split(":")
            if len(parts) != 3 or not parts[1].isdigit():
                return self.env["res.users"], None
            keys = Key.search([("user_id", "=", int(parts[1]))])
            code = parts[2]
        else:
            keys = Key.search([("user_id", "!=", self.requested_by_id.id)])
        for key in keys:
            if self._can_be_decided_by(key.user_id) and key.user_id.active:
                counter = key._match(code)
                if counter:
                    return key.user_id, counter
        return self.env["res.users"], None

    def _locked_until(self, pos_config):
        """When the lock after LOCK_AFTER_FAILURES wrong codes in a row from this till, or from this
        user on any till, ends; None if not locked. Both count, so that switching tills or users
        does not reset the count."""
        Attempt = self.env["clever.approval.attempt"].sudo()
        sources = [[("user_id", "=", self.env.user.id)]]
        if pos_config:
            sources.append([("pos_config_id", "=", pos_config.id)])
        ends = []
        for domain in sources:
            last = Attempt.search(domain, order="id desc", limit=LOCK_AFTER_FAILURES)
            if len(last) == LOCK_AFTER_FAILURES and not any(last.mapped("success")):
                ends.append(last[0].create_date + timedelta(minutes=LOCK_MINUTES))
        until = max(ends) if ends else None
        return until if until and until > fields.Datetime.now() else None

    def _tell_managers_about_lock(self, pos_config):
        place = pos_config.name if pos_config else self.env.user.name
        self.sudo().message_post(
            body=self.env._(
                "Approvals from %(place)s are locked for %(minutes)s minutes after %(count)s wrong manager codes in a row.",
                place=place,
                minutes=LOCK_MINUTES,
                count=LOCK_AFTER_FAILURES,
            ),
            partner_ids=self._approver_partners().ids,
            message_type="notification",
            subtype_xmlid="mail.mt_comment",
        )

    # ------------------------------------------------------------------
    # Offline tills
    # ------------------------------------------------------------------

    @api.model
    def _verify_offline_proof(self, action, record, proof, amount=0.0, quantity=0.0):
        """A till without connection accepted a manager's QR provisionally; the order carries the
        proof {"code": "CPA1:<user>:<code>", "at": <unix time of the scan>}. Verified on sync: a
        good proof becomes an approved, used request; a bad one flags the record for review
        (activity for the managers). Returns the request."""
        req = self.request(action, record, amount=amount, quantity=quantity, reason=self.env._("Approved offline at the till"))
        code = (proof or {}).get("code") or ""
        at = (proof or {}).get("at")
        parts = code.split(":")
        approver = self.env["res.users"]
        counter = None
        if len(parts) == 3 and parts[0] == QR_PREFIX and parts[1].isdigit() and isinstance(at, (int, float)):
            approver = self.env["res.users"].browse(int(parts[1])).exists()
            key = self.env["clever.approval.key"].sudo().search([("user_id", "=", approver.id)]) if approver else None
            if key and req._can_be_decided_by(approver):
                counter = key._match(parts[2], t=at)
        if counter:
            self.env["clever.approval.key"]._for_user(approver).sudo().last_counter = counter
            req._decide("approved", approver, "offline_qr")
            req.sudo().used_at = fields.Datetime.now()
        else:
            req.sudo().write({"state": "rejected", "needs_review": True, "decided_at": fields.Datetime.now(), "decision_method": "offline_qr"})
            req._post_decision()
            req._flag_for_review(record)
        return req

    def _flag_for_review(self, record):
        summary = self.env._("Offline approval did not verify: check %(document)s", document=record.display_name)
        target = record if hasattr(record, "activity_schedule") else self
        for user in self._approver_partners().user_ids:
            target.sudo().activity_schedule("mail.mail_activity_data_todo", summary=summary, user_id=user.id)

    # ------------------------------------------------------------------
    # Announcements and live updates
    # ------------------------------------------------------------------

    def _approvers(self):
        self.ensure_one()
        groups = self._rule().approver_group_ids or self.env.ref("clever_pos_base.group_clever_manager")
        users = groups.sudo().all_user_ids.filtered(lambda u: self.company_id in u.company_ids and u.active and not u.share)
        return users - self.requested_by_id

    def _approver_partners(self):
        return self._approvers().partner_id

    def _phone_url(self):
        self.ensure_one()
        return f"{self.get_base_url()}/clever/approvals/{self.id}?token={self.sudo().access_token}"

    def _announce(self):
        """Tell the approvers (Discuss inbox, with the link of the phone page)."""
        for req in self:
            body = Markup("%s<br/><a href='%s'>%s</a>") % (
                self.env._(
                    "%(user)s asks for approval: %(action)s, %(document)s, %(amount)s. Reason: %(reason)s",
                    user=req.requested_by_id.name,
                    action=dict(req._fields["action"]._description_selection(req.env))[req.action],
                    document=req.record_name or "",
                    amount=req.amount,
                    reason=req.reason or "-",
                ),
                req._phone_url(),
                self.env._("Open on the phone"),
            )
            req.sudo().message_notify(partner_ids=req._approver_partners().ids, body=body, subject=req.name)
            req._approver_partners()._bus_send("clever_approval_pending", {"id": req.id})

    def _post_decision(self):
        for req in self:
            state_label = dict(req._fields["state"]._description_selection(req.env))[req.state]
            body = self.env._(
                "%(action)s (%(request)s): %(state)s by %(user)s.",
                action=dict(req._fields["action"]._description_selection(req.env))[req.action],
                request=req.name,
                state=state_label,
                user=req.decided_by_id.name or "-",
            )
            record = self.env[req.res_model].browse(req.res_id).exists() if req.res_model else None
            if record and hasattr(record, "message_post"):
                record.sudo().message_post(body=body, message_type="notification")

    def _notify_requester(self):
        for req in self:
            req.requested_by_id.partner_id._bus_send("clever_approval_update", req._dialog_values())

    def _dialog_values(self):
        self.ensure_one()
        selection = dict(self._fields["state"]._description_selection(self.env))
        actions = dict(self._fields["action"]._description_selection(self.env))
        return {
            "id": self.id,
            "name": self.name,
            "action": self.action,
            "action_label": actions[self.action],
            "record_name": self.record_name,
            "amount": self.amount,
            "quantity": self.quantity,
            "reason": self.reason or "",
            "state": self.state,
            "state_label": selection[self.state],
            "decided_by": self.decided_by_id.name or "",
            "expires_at": fields.Datetime.to_string(self.expires_at),
        }

    def read_for_dialog(self):
        """What the approval dialog shows, with the link its QR opens on a manager's phone."""
        self.ensure_one()
        self.check_access("read")
        values = self.sudo()._dialog_values()
        values["phone_url"] = self.sudo()._phone_url()
        return values

    @api.model
    def _cron_expire(self):
        self.search([("state", "=", "pending"), ("expires_at", "<=", fields.Datetime.now())], limit=1000)._expire()

    def _expire(self):
        self.write({"state": "expired"})
        self._notify_requester()
