import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import { registry } from "@web/core/registry";
import * as Clever from "@clever_pos_terminal/../tests/tours/utils/clever_util";

// A sale on a register with a fiscal cash register: the receipt carries the fiscal sign, the
// words "FISCAL RECEIPT" and the QR code of the OFD check link.
registry.category("web_tour.tours").add("CleverFiscalSaleTour", {
    steps: () =>
        [
            Clever.enterOpenShift(),
            ProductScreen.addOrderline("Clever Tea 100 g", "2"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.enterPaymentLineAmount("Cash", "2000", true, { change: "840" }),
            PaymentScreen.clickValidate(),
            {
                content: "the receipt shows the fiscal sign",
                trigger: ".receipt-screen .o_clever_receipt .o_clever_fiscal_sign:not(:empty)",
            },
            Clever.receiptContains("FISCAL RECEIPT"),
            {
                content: "the receipt shows the QR code of the check link",
                trigger: ".receipt-screen .o_clever_receipt img.o_clever_fiscal_qr[src^='data:image']",
            },
            {
                content: "no 'not fiscalised' mark",
                trigger: ".receipt-screen .o_clever_receipt:not(:has(.o_clever_fiscal_pending))",
            },
            Clever.nextOrder(),
        ].flat(),
});
