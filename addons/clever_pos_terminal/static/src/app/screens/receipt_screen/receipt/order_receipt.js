import { patch } from "@web/core/utils/patch";
import { OrderReceipt } from "@point_of_sale/app/screens/receipt_screen/receipt/order_receipt";
import { generateQRCodeDataUrl } from "@point_of_sale/utils";

patch(OrderReceipt.prototype, {
    get cleverCompany() {
        return this.order.company;
    },
    get cleverWidthClass() {
        return this.cleverCompany.clever_receipt_width === "58" ? "o_clever_receipt_58" : "o_clever_receipt_80";
    },
    get cleverShopName() {
        return this.cleverCompany.clever_receipt_name || this.cleverCompany.name;
    },
    get cleverAddress() {
        const c = this.cleverCompany;
        return [c.street, c.city].filter(Boolean).join(", ");
    },
    get cleverCashier() {
        return this.order.employee_id?.name || this.order.user_id?.name || "";
    },
    /** Date and time of the sale in the shop's time zone. */
    get cleverDate() {
        const date = this.order.date_order;
        if (!date) {
            return "";
        }
        const zone = this.cleverCompany.clever_tz;
        return (zone ? date.setZone(zone) : date).toFormat("dd.MM.yyyy HH:mm");
    },
    get cleverNumberQr() {
        return this.order.pos_reference ? generateQRCodeDataUrl(this.order.pos_reference, { width: 110, height: 110 }) : "";
    },
    get cleverDebt() {
        return this.order.payment_ids
            .filter((p) => p.payment_method_id.type === "pay_later")
            .reduce((sum, p) => sum + p.getAmount(), 0);
    },
    get cleverShowBalance() {
        return Boolean(this.order.partner_id && (this.cleverDebt || this.order.clever_is_repayment));
    },
    get cleverPaymentLines() {
        return this.paymentLines.filter((p) => p.payment_method_id.type !== "pay_later");
    },
});
