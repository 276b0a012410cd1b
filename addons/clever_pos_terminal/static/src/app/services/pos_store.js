import { patch } from "@web/core/utils/patch";
import { _t } from "@web/core/l10n/translation";
import { serializeDateTime } from "@web/core/l10n/dates";
import { PosStore } from "@point_of_sale/app/services/pos_store";
import { makeAwaitable } from "@point_of_sale/app/utils/make_awaitable_dialog";
import { ApprovalDialog } from "@clever_pos_base/approval_dialog/approval_dialog";
import { CleverDebtPopup } from "@clever_pos_terminal/app/components/popups/clever_debt_popup/clever_debt_popup";
import { CleverShortcutsPopup } from "@clever_pos_terminal/app/components/popups/clever_shortcuts_popup/clever_shortcuts_popup";

const TITLES = {
    shift_open: () => _t("Manager approval: open the shift"),
    shift_close: () => _t("Manager approval: close the shift"),
    cash_out: () => _t("Manager approval: cash out"),
    debt_sale: () => _t("Manager approval: sale on debt"),
    refund: () => _t("Manager approval: return"),
    discount: () => _t("Manager approval: discount"),
};

patch(PosStore.prototype, {
    /** Whether this register runs the Clever POS controls (approvals, checks). */
    get cleverTill() {
        return Boolean(this.config.clever_till);
    },

    /**
     * Ask a manager's approval for an action of the till; the server decides whether one is
     * needed and checks it again when the action reaches it. Resolves true when the action may
     * go on (approved, or no approval needed), false when the cashier gave up.
     */
    async cleverAskApproval(action, { amount = 0, quantity = 0, recordId = false, reason = "" } = {}) {
        if (!this.cleverTill) {
            return true;
        }
        const answer = await this.data.call(
            "pos.session",
            "clever_request_approval",
            [[this.session.id], action, amount, quantity, recordId || false, reason || ""],
            { context: { device_identifier: this.device?.identifier } }
        );
        if (!answer.required || answer.approved) {
            return true;
        }
        const result = await makeAwaitable(this.dialog, ApprovalDialog, {
            requestId: answer.request_id,
            posConfigId: this.config.id,
            title: TITLES[action]?.() || _t("Manager approval"),
        });
        return Boolean(result?.approved);
    },

    /** The cashier's discount limit in %: the user's own, else the register's. */
    get cleverDiscountLimit() {
        return this.user?.clever_pos_discount_limit || this.config.clever_max_discount || 0;
    },

    async cleverDebtInfo(partner) {
        return await this.data.call("res.partner", "clever_pos_debt_info", [partner.id, this.config.id]);
    },

    get cleverDebtMethod() {
        return this.config.payment_method_ids.find((pm) => pm.type === "pay_later");
    },

    async cleverOpenDebtRepayment(partner = null) {
        if (!this.cleverDebtMethod) {
            this.notification.add(_t("This register has no debt (customer account) payment method."), {
                type: "warning",
            });
            return;
        }
        return await makeAwaitable(this.dialog, CleverDebtPopup, {
            partner: partner || this.getOrder()?.getPartner() || null,
        });
    },

    /**
     * Take money a customer brings to pay off a debt: an order without goods paid by the chosen
     * method, with the same amount taken off the customer account (Odoo books both at closing).
     */
    async cleverRepayDebt(partner, amount, paymentMethod, reference = "") {
        const order = this.createNewOrder({ partner_id: partner, clever_is_repayment: true });
        this.models["pos.payment"].create({
            pos_order_id: order,
            payment_method_id: paymentMethod,
            amount,
            payment_ref_no: reference || false,
        });
        this.models["pos.payment"].create({
            pos_order_id: order,
            payment_method_id: this.cleverDebtMethod,
            amount: -amount,
        });
        order.state = "paid";
        order.date_order = serializeDateTime(luxon.DateTime.now());
        this.addPendingOrder([order.id]);
        try {
            await this.syncAllOrders({ orders: [order], throw: true });
        } catch (error) {
            order.state = "draft";
            this.removeOrder(order);
            throw error;
        }
        return order;
    },

    cleverShowShortcuts() {
        this.dialog.add(CleverShortcutsPopup, {});
    },
});
