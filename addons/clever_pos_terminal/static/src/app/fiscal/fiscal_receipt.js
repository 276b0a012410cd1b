import { patch } from "@web/core/utils/patch";
import { PosStore } from "@point_of_sale/app/services/pos_store";
import OrderPaymentValidation from "@point_of_sale/app/utils/order_payment_validation";
import { OrderReceipt } from "@point_of_sale/app/screens/receipt_screen/receipt/order_receipt";
import { generateQRCodeDataUrl } from "@point_of_sale/utils";

patch(PosStore.prototype, {
    /**
     * Ask the server to fiscalise a saved order now and keep what the receipt prints. The sale
     * is done whatever happens here: without an answer the receipt says "not fiscalised" and
     * the server's queue sends it later with the same number.
     */
    async cleverFiscalise(order) {
        if (!this.config.clever_fiscal_active || typeof order.id !== "number") {
            return;
        }
        try {
            order.uiState.cleverFiscal = await this.data.call("pos.order", "clever_fiscal_send", [[order.id]]);
        } catch {
            order.uiState.cleverFiscal = { state: "pending" };
        }
    },
});

patch(OrderPaymentValidation.prototype, {
    async afterOrderValidation() {
        await this.pos.cleverFiscalise(this.order);
        return await super.afterOrderValidation(...arguments);
    },
});

patch(OrderReceipt.prototype, {
    get cleverFiscal() {
        return this.order.uiState?.cleverFiscal || null;
    },
    get cleverFiscalQr() {
        const url = this.cleverFiscal?.ticket_url;
        return url ? generateQRCodeDataUrl(url, { width: 150, height: 150 }) : "";
    },
});
