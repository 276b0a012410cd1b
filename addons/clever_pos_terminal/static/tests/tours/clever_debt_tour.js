import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as PartnerList from "@point_of_sale/../tests/pos/tours/utils/partner_list_util";
import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import { registry } from "@web/core/registry";
import * as Clever from "@clever_pos_terminal/../tests/tours/utils/clever_util";

// A sale on debt approved by a manager, then the customer repays part of it at the till.
registry.category("web_tour.tours").add("CleverDebtTour", {
    steps: () =>
        [
            Clever.enterOpenShift(),
            ProductScreen.addOrderline("Clever Water 1 l", "10"),
            ProductScreen.clickPartnerButton(),
            ...PartnerList.searchCustomerValue("Clever Customer Arman", true),
            PartnerList.clickPartner("Clever Customer Arman"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.enterPaymentLineAmount("Cash", "1500", true, { remaining: "2,000" }),
            PaymentScreen.clickPaymentMethod("On debt", true, { remaining: "0" }),
            PaymentScreen.clickValidate(),
            Clever.approveWithCode(0),
            Clever.receiptContains("On debt"),
            {
                content: "the receipt shows the customer's new debt",
                trigger: ".receipt-screen .o_clever_receipt_balance:contains('2,000')",
            },
            Clever.nextOrder(),

            // Repayment at the till.
            {
                content: "open the debts",
                trigger: ".product-screen .o_clever_debt_button",
                run: "click",
            },
            {
                content: "choose the customer",
                trigger: ".modal .o_clever_debt_partner",
                run: "click",
            },
            ...PartnerList.searchCustomerValue("Clever Customer Arman", true),
            PartnerList.clickPartner("Clever Customer Arman"),
            {
                content: "the customer's debt is shown",
                trigger: ".modal .o_clever_debt_balance:contains('2,000')",
            },
            {
                content: "the open debt is listed",
                trigger: ".modal .o_clever_open_debts td:contains('2,000')",
            },
            Clever.typeInDialog(".o_clever_repay_amount", "1500"),
            {
                content: "paid in cash",
                trigger: ".modal .o_clever_repay_method:contains('Cash')",
                run: "click",
            },
            {
                content: "take the money",
                trigger: ".modal .o_clever_repay_confirm:not([disabled])",
                run: "click",
            },
            {
                content: "repaid, 500 left",
                trigger: ".modal .o_clever_repayment_done:contains('500')",
            },
            {
                content: "close",
                trigger: ".modal .o_clever_debt_close",
                run: "click",
            },
            ProductScreen.isShown(),
            Chrome.endTour(),
        ].flat(),
});
