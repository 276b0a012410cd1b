import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as TicketScreen from "@point_of_sale/../tests/pos/tours/utils/ticket_screen_util";
import { refresh } from "@point_of_sale/../tests/generic_helpers/utils";
import { registry } from "@web/core/registry";
import * as Clever from "@clever_pos_terminal/../tests/tours/utils/clever_util";

const KASPI = "Kaspi terminal";
const LINE = ".paymentlines .paymentline";

function kaspiState(code, extra = "") {
    return {
        content: `the Kaspi line says ${code}`,
        trigger: `.paymentlines .o_clever_kaspi_status[data-code='${code}']${extra}`,
        timeout: 30000,
    };
}

function paid() {
    return [
        kaspiState("paid"),
        {
            content: "the terminal payment succeeded",
            trigger: `${LINE} .electronic_status:contains('Payment Successful')`,
        },
    ];
}

/** Search first: after a reload the product grid may not show the product without it. */
function sell(name, quantity) {
    return [ProductScreen.searchProduct(name), ProductScreen.addOrderline(name, quantity)].flat();
}

function validateAndNext() {
    return [PaymentScreen.clickValidate(), Clever.receiptContains("SALE RECEIPT"), Clever.nextOrder()].flat();
}

function finishWaitingOnTerminal(outcome) {
    return {
        content: `the customer ends the waiting operation on the terminal (${outcome})`,
        trigger: "body",
        run: async () => {
            await fetch(`${window.cleverTestSimUrl || sessionStorage.cleverTestSimUrl}/_sim/finish?outcome=${outcome}`, {
                mode: "no-cors",
            });
        },
    };
}

// The Python test scripts the terminal's outcomes in this order (see test_kaspi_terminal_tours.py).
registry.category("web_tour.tours").add("CleverKaspiTerminalTour", {
    steps: () =>
        [
            {
                content: "keep the simulator's address across reloads",
                trigger: "body",
                run: () => {
                    sessionStorage.cleverTestSimUrl = window.cleverTestSimUrl;
                },
            },
            Clever.enterOpenShift(),

            // 1. Success; a double click on the method sends one payment only.
            sell("Clever Water 1 l", "1"),
            ProductScreen.clickPayButton(),
            {
                content: "double click on the Kaspi terminal method",
                trigger: `.paymentmethods .button.paymentmethod:has(.payment-name:contains("${KASPI}"))`,
                run: (helpers) => {
                    helpers.anchor.click();
                    helpers.anchor.click();
                },
            },
            Dialog.is({ title: "Error" }),
            Dialog.confirm(),
            ...paid(),
            {
                content: "one Kaspi line only",
                trigger: ".paymentlines .payment-infos",
                run: () => {
                    const count = document.querySelectorAll(".paymentlines .payment-infos").length;
                    if (count !== 1) {
                        throw new Error(`${count} payment lines after a double click`);
                    }
                },
            },
            validateAndNext(),

            // 2. Declined, then retried: the outcome is unknown for a while, then paid.
            sell("Clever Bread", "1"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod(KASPI),
            kaspiState("declined"),
            {
                content: "the cashier is told the payment was declined",
                trigger: ".o_notification.o_clever_kaspi_declined",
            },
            PaymentScreen.clickRetryButton(),
            kaspiState("outcome_unknown"),
            {
                content: "an unknown outcome is never shown paid, nor sent again",
                trigger: `${LINE}:not(:has(.electronic_status:contains('Payment Successful')))`,
            },
            ...paid(),
            validateAndNext(),

            // 3. The terminal keeps waiting: the till cannot cancel it, the terminal can.
            sell("Clever Water 1 l", "2"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod(KASPI),
            kaspiState("waiting", "[data-status='wait']"),
            PaymentScreen.clickCancelButton(),
            {
                content: "press Cancel on the terminal, says the till",
                trigger: ".o_notification.o_clever_kaspi_cancel_on_terminal",
            },
            kaspiState("waiting"),
            finishWaitingOnTerminal("cancel"),
            kaspiState("cancelled"),
            PaymentScreen.clickRetryButton().map((step) => ({ ...step, run: () => {} })),
            PaymentScreen.clickPaymentlineDelButton(KASPI, "700"),
            PaymentScreen.clickPaymentMethod("Cash"),
            validateAndNext(),

            // 4. The page is reloaded while the customer pays: the till asks again, pays once.
            sell("Clever Bread", "2"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod(KASPI),
            kaspiState("waiting", "[data-status='wait']"),
            refresh(),
            {
                content: "after the reload the payment screen follows the same payment",
                trigger: ".payment-screen",
                timeout: 30000,
            },
            ...paid(),
            validateAndNext(),

            // 5. The connection to the terminal drops as the amount is sent: nobody knows if it
            // was charged. The till never sends it again; the cashier reads the terminal's screen.
            sell("Clever Water 1 l", "3"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod(KASPI),
            kaspiState("payment_response_lost", "[data-status='manual_review']"),
            {
                content: "the terminal shows the payment went through",
                trigger: ".o_clever_kaspi_status .o_clever_kaspi_paid",
                run: "click",
            },
            kaspiState("resolved_manually"),
            {
                content: "paid by the person's reading of the terminal",
                trigger: `${LINE} .electronic_status:contains('Payment Successful')`,
            },
            validateAndNext(),

            // 6. The device proxy restarts while the customer pays: the till follows it again.
            sell("Clever Bread", "3"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod(KASPI),
            kaspiState("proxy_unreachable"),
            ...paid(),
            validateAndNext(),
            Chrome.endTour(),
        ].flat(),
});

// A Kaspi terminal payment is refunded on the terminal, against the original payment.
registry.category("web_tour.tours").add("CleverKaspiRefundTour", {
    steps: () =>
        [
            Clever.enterOpenShift(),
            sell("Clever Water 1 l", "2"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod(KASPI),
            ...paid(),
            validateAndNext(),
            Chrome.clickOrders(),
            TicketScreen.selectFilter("Paid"),
            {
                content: "the paid sale is in the history",
                trigger: ".ticket-screen .order-row:contains('700')",
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
            {
                content: "confirm the reason",
                trigger: ".modal .o_clever_return_confirm",
                run: "click",
            },
            PaymentScreen.isShown(),
            PaymentScreen.clickPaymentMethod(KASPI),
            PaymentScreen.clickRefundButton(),
            Clever.approveWithCode(0),
            kaspiState("refunded"),
            {
                content: "the refund went through the terminal",
                trigger: `${LINE} .electronic_status:contains('Refund Successful')`,
            },
            PaymentScreen.clickValidate(),
            Clever.receiptContains("RETURN"),
            Clever.nextOrder(),
            Chrome.endTour(),
        ].flat(),
});
