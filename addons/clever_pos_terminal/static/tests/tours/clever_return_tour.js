import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as TicketScreen from "@point_of_sale/../tests/pos/tours/utils/ticket_screen_util";
import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import { scan_barcode } from "@point_of_sale/../tests/generic_helpers/utils";
import { registry } from "@web/core/registry";
import * as Clever from "@clever_pos_terminal/../tests/tours/utils/clever_util";

// A return found by scanning the receipt's number, with a reason and a manager's approval.
registry.category("web_tour.tours").add("CleverReturnTour", {
    steps: () =>
        [
            Clever.enterOpenShift(),
            Chrome.clickOrders(),
            {
                content: "the order history is shown",
                trigger: ".ticket-screen",
            },
            scan_barcode("2501-RET-000777"),
            {
                content: "the sale of that receipt is found and selected",
                trigger: ".ticket-screen .order-row:contains('2501-RET-000777')",
            },
            ProductScreen.clickNumpad("4"),
            {
                content: "never more than was sold",
                trigger: ".modal:contains('Maximum Exceeded')",
            },
            {
                content: "close the warning",
                trigger: ".modal .modal-footer .btn-primary",
                run: "click",
            },
            ProductScreen.clickNumpad("2"),
            TicketScreen.toRefundTextContains("To Refund: 2"),
            TicketScreen.confirmRefund(),
            {
                content: "choose the reason of the return",
                trigger: ".modal .o_clever_return_reason:contains('Defective or damaged')",
                run: "click",
            },
            Clever.typeInDialog(".o_clever_return_comment", "Leaking bottles"),
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
            Clever.receiptContains("Defective or damaged"),
            Clever.nextOrder(),
            Chrome.endTour(),
        ].flat(),
});
