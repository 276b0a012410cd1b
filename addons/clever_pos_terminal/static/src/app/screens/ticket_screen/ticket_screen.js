import { patch } from "@web/core/utils/patch";
import { _t } from "@web/core/l10n/translation";
import { TicketScreen } from "@point_of_sale/app/screens/ticket_screen/ticket_screen";
import { useBarcodeReader } from "@point_of_sale/app/hooks/barcode_reader_hook";
import { makeAwaitable } from "@point_of_sale/app/utils/make_awaitable_dialog";
import { CleverReturnReasonPopup } from "@clever_pos_terminal/app/components/popups/clever_return_reason_popup/clever_return_reason_popup";

patch(TicketScreen.prototype, {
    setup() {
        super.setup(...arguments);
        if (this.pos.cleverTill) {
            // The receipt's barcode/QR carries its number: scanning it finds the sale to return.
            useBarcodeReader({
                product: (parsed) => this.cleverFindByReceiptNumber(parsed.code),
                error: (parsed) => this.cleverFindByReceiptNumber(parsed.code),
            });
        }
    },

    async cleverFindByReceiptNumber(number) {
        const code = (number || "").trim();
        if (!code) {
            return;
        }
        const orderId = await this.pos.data.call("pos.order", "clever_find_sale_for_return", [code, this.pos.config.id]);
        if (!orderId) {
            this.pos.notification.add(_t("No sale with the receipt number %s.", code), { type: "warning" });
            return;
        }
        this.state.filter = "SYNCED";
        this.state.search = { fieldName: "RECEIPT_NUMBER", searchTerm: code };
        this.state.page = 1;
        this.pos.screenState.ticketSCreen.offsetByDomain = {};
        await this._fetchSyncedOrders();
        let order = this.pos.models["pos.order"].get(orderId);
        if (!order) {
            await this.pos.data.loadServerOrders([["id", "=", orderId]]);
            order = this.pos.models["pos.order"].get(orderId);
        }
        if (order) {
            this.onClickOrder(order);
        }
    },

    async addAdditionalRefundInfo(order, destinationOrder) {
        await super.addAdditionalRefundInfo(...arguments);
        if (this.pos.cleverTill) {
            const reason = await makeAwaitable(this.dialog, CleverReturnReasonPopup, {});
            if (reason) {
                destinationOrder.clever_return_reason_id = reason.reason;
                destinationOrder.clever_return_comment = reason.comment;
            }
        }
    },
});
