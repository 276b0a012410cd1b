import { patch } from "@web/core/utils/patch";
import { parseFloat } from "@web/views/fields/parsers";
import { CashMovePopup } from "@point_of_sale/app/components/popups/cash_move_popup/cash_move_popup";
import { CleverCashMoveListPopup } from "@clever_pos_terminal/app/components/popups/clever_cash_move_list_popup/clever_cash_move_list_popup";

patch(CashMovePopup.prototype, {
    setup() {
        super.setup(...arguments);
        this.state.clever_note = "";
    },
    async confirm() {
        if (this.pos.cleverTill && this.state.type === "out") {
            const amount = this.env.utils.isValidFloat(this.state.amount) ? parseFloat(this.state.amount) : 0;
            if (amount > 0) {
                const approved = await this.pos.cleverAskApproval("cash_out", {
                    amount,
                    reason: this.state.reason.trim(),
                });
                if (!approved) {
                    return;
                }
            }
        }
        return await super.confirm(...arguments);
    },
    _prepareTryCashInOutPayload() {
        const payload = super._prepareTryCashInOutPayload(...arguments);
        if (this.pos.cleverTill) {
            payload[payload.length - 1] = { ...payload[payload.length - 1], clever_note: this.state.clever_note.trim() };
        }
        return payload;
    },
    async openDetails() {
        if (!this.pos.cleverTill) {
            return await super.openDetails(...arguments);
        }
        this.dialog.add(CleverCashMoveListPopup, {});
    },
});
