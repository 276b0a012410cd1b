import io

import qrcode
import qrcode.image.svg

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import request


def _svg(payload):
    image = qrcode.make(payload, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    stream = io.BytesIO()
    image.save(stream)
    return stream.getvalue()


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


class CleverApprovalController(http.Controller):
    """The manager's phone pages (Odoo mobile web): own approval QR, pending requests."""

    # -- My approval QR ------------------------------------------------------------------------

    @http.route("/clever/approval/my_qr", type="http", auth="user", methods=["GET"])
    def my_qr(self, renewed=None):
        user = request.env.user
        if not user._clever_is_approver():
            raise AccessError(request.env._("Only managers and administrators have an approval QR."))
        request.env["clever.approval.key"]._for_user(user)
        return _no_store(request.render("clever_pos_base.approval_my_qr_page", {"user": user, "renewed": renewed}))

    @http.route("/clever/approval/my_qr.svg", type="http", auth="user", methods=["GET"])
    def my_qr_image(self):
        user = request.env.user
        if not user._clever_is_approver():
            raise AccessError(request.env._("Only managers and administrators have an approval QR."))
        key = request.env["clever.approval.key"]._for_user(user)
        return _no_store(request.make_response(_svg(key._qr_payload()), [("Content-Type", "image/svg+xml")]))

    @http.route("/clever/approval/my_qr/renew", type="http", auth="user", methods=["POST"])
    def renew_my_qr(self):
        request.env.user.action_clever_renew_approval_qr()
        return request.redirect("/clever/approval/my_qr?renewed=1")

    # -- Pending requests on the phone ---------------------------------------------------------

    def _decidable(self):
        Request = request.env["clever.approval.request"].sudo()
        pending = Request.search([("state", "=", "pending"), ("company_id", "in", request.env.user.company_ids.ids)], limit=200)
        return pending.filtered(lambda r: r._can_be_decided_by(request.env.user))

    @http.route("/clever/approvals", type="http", auth="user", methods=["GET"])
    def pending(self, done=None, error=None):
        decided = request.env["clever.approval.request"].browse(int(done)).exists() if done and done.isdigit() else None
        values = {"requests": self._decidable(), "decided": decided, "error": error}
        return _no_store(request.render("clever_pos_base.approval_list_page", values))

    @http.route("/clever/approvals/<int:request_id>", type="http", auth="user", methods=["GET"])
    def detail(self, request_id, token=None):
        req = request.env["clever.approval.request"].sudo().browse(request_id).exists()
        if not req or (token and token != req.access_token) or not req._can_be_decided_by(request.env.user):
            raise request.not_found()
        return _no_store(request.render("clever_pos_base.approval_detail_page", {"req": req}))

    @http.route("/clever/approvals/<int:request_id>/decide", type="http", auth="user", methods=["POST"])
    def decide(self, request_id, decision, note=None):
        req = request.env["clever.approval.request"].browse(request_id).exists()
        if not req:
            raise request.not_found()
        try:
            if decision == "approve":
                req.action_approve()
            else:
                req.action_reject(note=note)
        except (UserError, AccessError) as error:
            request.env.cr.rollback()
            return self.pending(error=error.args[0])
        return request.redirect("/clever/approvals?done=%s" % req.id)

    # -- The till's QR that opens a request on a manager's phone ---------------------------------

    @http.route("/clever/approvals/<int:request_id>/phone_qr.svg", type="http", auth="user", methods=["GET"])
    def phone_qr(self, request_id):
        req = request.env["clever.approval.request"].browse(request_id).exists()
        if not req:
            raise request.not_found()
        values = req.read_for_dialog()  # checks that the current user may read it
        return _no_store(request.make_response(_svg(values["phone_url"]), [("Content-Type", "image/svg+xml")]))
