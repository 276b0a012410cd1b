import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import { registry } from "@web/core/registry";
import * as Clever from "@clever_pos_terminal/../tests/tours/utils/clever_util";

function stubBrowserPrint() {
    return {
        content: "the browser's print dialog is watched (test only)",
        trigger: "body",
        run: () => {
            window.print = () => document.body.classList.add("o_clever_test_window_print");
        },
    };
}

function sellAndPrint() {
    return [
        ProductScreen.addOrderline("Clever Water 1 l", "2"),
        ProductScreen.clickPayButton(),
        PaymentScreen.clickPaymentMethod("Cash"),
        PaymentScreen.clickValidate(),
        Clever.receiptContains("SALE RECEIPT"),
        {
            content: "print the receipt",
            trigger: ".receipt-screen .button.print",
            run: "click",
        },
    ].flat();
}

// The receipt goes through the device proxy to the receipt printer.
registry.category("web_tour.tours").add("CleverDevicePrintTour", {
    steps: () =>
        [
            stubBrowserPrint(),
            Clever.enterOpenShift(),
            sellAndPrint(),
            {
                content: "printed: no fallback, no browser dialog",
                trigger: ".receipt-screen .button.print:not(:disabled)",
                run: async () => {
                    await new Promise((resolve) => setTimeout(resolve, 1500));
                    if (document.querySelector(".o_clever_print_fallback") || document.body.classList.contains("o_clever_test_window_print")) {
                        throw new Error("the receipt fell back to the browser");
                    }
                },
            },
            Clever.nextOrder(),
            Chrome.endTour(),
        ].flat(),
});

// The printer is switched off: the till says so and opens the browser's print dialog.
registry.category("web_tour.tours").add("CleverDevicePrintFallbackTour", {
    steps: () =>
        [
            stubBrowserPrint(),
            Clever.enterOpenShift(),
            sellAndPrint(),
            {
                content: "the cashier is told the printer cannot be reached",
                trigger: ".o_notification.o_clever_print_fallback:contains('printer cannot be reached')",
            },
            {
                content: "the browser's print dialog opened with the receipt",
                trigger: "body.o_clever_test_window_print",
            },
            Chrome.clickMenuButton(),
            {
                content: "the device status tells the printer is offline, in the cashier's language",
                trigger: ".js_msg:contains('Printer: The printer cannot be reached')",
                timeout: 20000,
            },
            Chrome.clickMenuButton(),
            {
                content: "the receipt is still there to print again",
                trigger: ".receipt-screen .button.print",
            },
            Clever.nextOrder(),
            Chrome.endTour(),
        ].flat(),
});
