import { patch } from "@web/core/utils/patch";
import { _t } from "@web/core/l10n/translation";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import OrderPaymentValidation from "@point_of_sale/app/utils/order_payment_validation";
import { makeAwaitable } from "@point_of_sale/app/utils/make_awaitable_dialog";
import { TextInputPopup } from "@point_of_sale/app/components/popups/text_input_popup/text_input_popup";
import { CleverReturnReasonPopup } from "@clever_pos_terminal/app/components/popups/clever_return_reason_popup/clever_return_reason_popup";

/** Products that are no goods sold to somebody: tips, the global discount, free-text lines. */
export function cleverSpecialProductIds(config) {
    const ids = new Set(config._pos_special_products_ids || []);
    if (config.discount_product_id) {
        ids.add(config.discount_product_id.id);
    }
    for (const product of config.clever_free_product_ids || []) {
        ids.add(product.id);
    }
    return ids;
}

patch(OrderPaymentValidation.prototype, {
    async askBeforeValidation() {
        if ((await super.askBeforeValidation(...arguments)) === false) {
            return false;
        }
        if (!this.pos.cleverTill) {
            return true;
        }
        const order = this.order;
        if (!(await this.cleverCheckCustomer(order))) {
            return false;
        }
        if (!(await this.cleverCheckReturn(order))) {
            return false;
        }
        if (!(await this.cleverCheckDebt(order))) {
            return false;
        }
        if (!(await this.cleverCheckDiscount(order))) {
            return false;
        }
        return await this.cleverAskTerminalReferences(order);
    },

    /** A service (or any product that needs one) cannot be paid without a customer. */
    async cleverCheckCustomer(order) {
        if (order.getPartner()) {
            return true;
        }
        const special = cleverSpecialProductIds(this.pos.config);
        const line = order.lines.find(
            (l) =>
                !special.has(l.product_id.id) &&
                !l.is_reward_line &&
                l.product_id.product_tmpl_id?.clever_requires_customer
        );
        if (!line) {
            return true;
        }
        await makeAwaitable(this.pos.dialog, AlertDialog, {
            title: _t("Customer required"),
            body: _t("%s is a service: choose the customer before payment.", line.getFullProductName()),
        });
        await this.pos.selectPartner(order);
        return false;
    },

    async cleverCheckReturn(order) {
        const refundLines = order.lines.filter((l) => l.refunded_orderline_id && l.qty < 0);
        if (!refundLines.length) {
            return true;
        }
        if (!order.clever_return_reason_id) {
            const reason = await makeAwaitable(this.pos.dialog, CleverReturnReasonPopup, {});
            if (!reason) {
                return false;
            }
            order.clever_return_reason_id = reason.reason;
            order.clever_return_comment = reason.comment;
        }
        const sale = refundLines[0].refunded_orderline_id.order_id;
        const amount = -refundLines.reduce((sum, l) => sum + l.priceIncl, 0);
        return await this.pos.cleverAskApproval("refund", {
            amount: this.pos.currency.round(amount),
            recordId: sale.id,
            reason: order.clever_return_reason_id?.name || "",
        });
    },

    /** The unpaid rest on the customer account becomes the customer's debt: a manager approves. */
    async cleverCheckDebt(order) {
        const partner = order.getPartner();
        const debt = order.payment_ids
            .filter((p) => p.payment_method_id.type === "pay_later")
            .reduce((sum, p) => sum + p.getAmount(), 0);
        if (!partner || debt <= 0 || order.clever_is_repayment) {
            return true;
        }
        return await this.pos.cleverAskApproval("debt_sale", {
            amount: this.pos.currency.round(debt),
            recordId: partner.id,
            reason: partner.name,
        });
    },

    /** Discounts over the cashier's limit need a manager. */
    async cleverCheckDiscount(order) {
        const discounts = order.lines.filter((l) => l.qty > 0).map((l) => l.getDiscount() || 0);
        discounts.push(order.globalDiscountPc || 0);
        const biggest = Math.max(0, ...discounts);
        if (biggest <= this.pos.cleverDiscountLimit + 0.001) {
            return true;
        }
        return await this.pos.cleverAskApproval("discount", {
            quantity: Math.round(biggest * 100) / 100,
        });
    },

    /** Card and Kaspi confirmed by hand: the cashier types the terminal receipt's number. */
    async cleverAskTerminalReferences(order) {
        for (const line of order.payment_ids) {
            const method = line.payment_method_id;
            if (!method.clever_ask_reference || line.payment_ref_no || line.getAmount() === 0) {
                continue;
            }
            const reference = await makeAwaitable(this.pos.dialog, TextInputPopup, {
                title: _t("%s: receipt number of the terminal", method.name),
                placeholder: _t("Confirmed on the terminal: its receipt number"),
            });
            if (!reference || !reference.trim()) {
                return false;
            }
            line.payment_ref_no = reference.trim();
        }
        return true;
    },
});
