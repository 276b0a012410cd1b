import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as TicketScreen from "@point_of_sale/../tests/pos/tours/utils/ticket_screen_util";
import * as PartnerList from "@point_of_sale/../tests/pos/tours/utils/partner_list_util";
import * as PosLoyalty from "@pos_loyalty/../tests/tours/utils/pos_loyalty_util";
import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import { registry } from "@web/core/registry";
import * as Clever from "@clever_pos_terminal/../tests/tours/utils/clever_util";

// A sale with a promo code and loyalty points (customer found by phone as people type it), then
// its return: the server takes back the points earned and gives back the points spent.
registry.category("web_tour.tours").add("CleverLoyaltySaleReturnTour", {
    steps: () =>
        [
            Clever.enterOpenShift(),
            ProductScreen.addOrderline("Clever Water 1 l", "4"),
            ProductScreen.clickPartnerButton(),
            {
                content: "search the customer by phone, typed as people say it",
                trigger: ".modal-dialog .input-group input",
                run: "edit 8 701 555 01 01",
            },
            {
                content: "search on the server too",
                trigger: ".modal-dialog .input-group input",
                run() {
                    this.anchor.dispatchEvent(
                        new KeyboardEvent("keydown", { bubbles: true, key: "Enter" })
                    );
                },
            },
            {
                content: "the customer is found",
                trigger: ".partner-line:contains('Clever Customer Arman')",
            },
            PartnerList.clickPartner("Clever Customer Arman"),
            PosLoyalty.enterCode("CLV10"),
            PosLoyalty.hasRewardLine("CLV10 promo 10%"),
            PosLoyalty.claimReward("Clever bonus points"),
            PosLoyalty.hasRewardLine("Clever bonus points"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            Clever.nextOrder(),

            // The return of that sale: the water and the points discount.
            Chrome.clickOrders(),
            TicketScreen.selectFilter("Paid"),
            {
                content: "open the sale",
                trigger: ".ticket-screen .order-row:first",
                run: "click",
            },
            // The first line (the water) is selected: all four come back.
            ProductScreen.clickNumpad("4"),
            ProductScreen.clickLine("Clever bonus points"),
            ProductScreen.clickNumpad("1"),
            TicketScreen.confirmRefund(),
            {
                content: "choose the reason of the return",
                trigger: ".modal .o_clever_return_reason:contains('Defective or damaged')",
                run: "click",
            },
            Clever.typeInDialog(".o_clever_return_comment", "Changed mind"),
            {
                content: "confirm the reason",
                trigger: ".modal .o_clever_return_confirm",
                run: "click",
            },
            PaymentScreen.isShown(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            Clever.approveWithCode(0),
            Clever.receiptContains("RETURN"),
            Clever.nextOrder(),
            Chrome.endTour(),
        ].flat(),
});
