import base64
import os
import time

from odoo import api, fields, models
from odoo.addons.auth_totp.models.totp import TIMESTEP, TOTP, TOTP_SECRET_SIZE, hotp

# The manager's QR carries "CPA1:<user id>:<6-digit code>"; a code typed by hand is the 6 digits.
QR_PREFIX = "CPA1"


class CleverApprovalKey(models.Model):
    """A manager's personal approval secret (RFC 6238 time-based codes, Odoo's auth_totp).

    No access right is granted on this model to anybody: only the server (sudo) reads it, to
    check a code or to draw the owner's own QR. Renewing the secret invalidates every earlier QR.
    """

    _name = "clever.approval.key"
    _description = "Manager approval secret"

    user_id = fields.Many2one("res.users", required=True, ondelete="cascade", index=True)
    secret = fields.Char(required=True, copy=False)
    last_counter = fields.Integer(help="Time step of the last code used: a code is accepted once.")
    renewed_at = fields.Datetime(default=fields.Datetime.now)

    _user_unique = models.Constraint("UNIQUE(user_id)", "A user has one approval secret.")

    @api.model
    def _new_secret(self):
        return base64.b32encode(os.urandom(TOTP_SECRET_SIZE // 8)).decode()

    @api.model
    def _for_user(self, user):
        key = self.sudo().search([("user_id", "=", user.id)], limit=1)
        return key or self.sudo().create({"user_id": user.id, "secret": self._new_secret()})

    def _renew(self):
        self.sudo().write({"secret": self._new_secret(), "last_counter": 0, "renewed_at": fields.Datetime.now()})

    def _totp(self):
        return TOTP(base64.b32decode(self.secret))

    def _current_code(self, t=None):
        counter = int((t if t is not None else time.time()) / TIMESTEP)
        return f"{hotp(base64.b32decode(self.secret), counter):06d}"

    def _qr_payload(self, t=None):
        return f"{QR_PREFIX}:{self.user_id.id}:{self._current_code(t)}"

    def _match(self, code, t=None):
        """The time step the code belongs to (current or the one before/after, for clocks and slow
        scans), or None. A step already used is refused: each code works once."""
        if not (code or "").isdigit():
            return None
        counter = self._totp().match(int(code), t=t)
        if counter is None or counter <= self.last_counter:
            return None
        return counter
