import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as PartnerList from "@point_of_sale/../tests/pos/tours/utils/partner_list_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import { registry } from "@web/core/registry";
import * as Clever from "@clever_pos_terminal/../tests/tours/utils/clever_util";

// Opening with approval; a sale with cash and change; a mixed payment; a service refused
// without customer, then paid with one.
registry.category("web_tour.tours").add("CleverSaleTour", {
    steps: () =>
        [
            Clever.openShiftWithApproval("5000"),

            // F1 shows the keyboard shortcuts.
            {
                content: "press F1",
                trigger: ".product-screen",
                run: () => window.dispatchEvent(new KeyboardEvent("keydown", { key: "F1", bubbles: true })),
            },
            {
                content: "the shortcuts are listed",
                trigger: ".modal .o_clever_shortcuts:contains('F9')",
            },
            Dialog.confirm("Close"),

            // Cash with amount tendered and change.
            ProductScreen.addOrderline("Clever Water 1 l", "3"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.enterPaymentLineAmount("Cash", "2000", true, { change: "950" }),
            PaymentScreen.clickValidate(),
            Clever.receiptContains("SALE RECEIPT"),
            Clever.receiptContains("950"),
            Clever.nextOrder(),

            // Mixed payment: part cash, the rest by card confirmed by hand on the terminal; a
            // quick-access product and a free-text line.
            {
                content: "quick-access product",
                trigger: ".product-screen .o_clever_favorite:contains('Clever Bread')",
                run: "click",
            },
            ProductScreen.clickNumpad("5"),
            ProductScreen.selectedOrderlineHas("Clever Bread", "5"),
            {
                content: "free-text line",
                trigger: ".product-screen .o_clever_free_line",
                run: "click",
            },
            Clever.typeInDialog(".o_clever_free_name", "Gift box"),
            Clever.typeInDialog(".o_clever_free_price", "400"),
            {
                content: "add the free-text line",
                trigger: ".modal .o_clever_free_confirm:not([disabled])",
                run: "click",
            },
            ProductScreen.totalAmountIs("1,500"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.enterPaymentLineAmount("Cash", "500", true, { remaining: "1,000" }),
            PaymentScreen.clickPaymentMethod("Card", true, { remaining: "0" }),
            PaymentScreen.clickValidate(),
            Clever.enterTerminalReference("RRN-123"),
            Clever.receiptContains("RRN-123"),
            Clever.nextOrder(),

            // A service cannot be paid without a customer.
            ProductScreen.addOrderline("Clever Phone setup", "1"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Kaspi"),
            PaymentScreen.clickValidate(),
            Dialog.is({ title: "Customer required" }),
            Dialog.confirm(),
            ...PartnerList.searchCustomerValue("Clever Customer Arman", true),
            PartnerList.clickPartner("Clever Customer Arman"),
            PaymentScreen.clickValidate(),
            Clever.enterTerminalReference("KSP-77"),
            Clever.receiptContains("Clever Customer Arman"),
            Clever.nextOrder(),
            Chrome.endTour(),
        ].flat(),
});
